"""Consortia build their application: My applications, letters of intent, starting, the overview and each section."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ccpt.lib.permissions import get_authorized
from ccpt.lib.refusal import Refusal
from consortia.models import Consortium
from consortia.rules import spoken_for
from grants.programs.closing import closing, closings
from grants.programs.models import Round
from grants.programs.published import published_parts

from ..forms.common import problems
from ..forms.sections import section_form
from ..forms.start import ChooseRoundForm, LetterOfIntentForm, StartApplicationForm
from ..models import Application, LetterOfIntent
from ..services import drafts as services
from ..services.draft_input import draft_cuts
from ..services.eligibility import all_checks, checked, read_parts, section_statuses

Section = Application.Section


def _consortia_where(user, perm: str) -> list[Consortium]:
    """The person's consortia on which they hold `perm` (lead contacts, by grants/rules.py)."""
    consortia = Consortium.objects.filter(pk__in=spoken_for(user)).select_related("lead_agency")
    return [c for c in consortia if user.has_perm(perm, c)]


def _application(request, pk, perm="applications.view_application") -> Application:
    queryset = Application.objects.select_related("round", "consortium__lead_agency", "category")
    return get_authorized(request.user, perm, queryset, pk=pk)


@login_required
def application_list(request):
    applications = list(services.applications_of(request.user))
    consortia = list(Consortium.objects.filter(pk__in=spoken_for(request.user)))
    # When each round really closed (staff may close one early), beside its application.
    closed = closings({a.round for a in applications})
    for application in applications:
        application.closing = closed[application.round_id]
    context = {
        "applications": applications,
        "open_rounds": services.open_rounds_for(request.user, consortia, applications),
        "consortia": consortia,
    }
    return render(request, "applications/list.html", context)


@login_required
def letter_of_intent(request, pk):
    round_ = get_object_or_404(Round.objects.exclude(status=Round.Status.DRAFT), pk=pk)
    consortia = _consortia_where(request.user, "applications.file_letter_of_intent")
    if not consortia:
        raise PermissionDenied
    filed = LetterOfIntent.objects.filter(round=round_, consortium__in=consortia).select_related(
        "consortium", "category", "filed_by"
    )
    pending = [c for c in consortia if c.pk not in {loi.consortium_id for loi in filed}]
    form = LetterOfIntentForm(request.POST or None, round_=round_, consortia=pending or consortia)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.file_letter_of_intent(round_=round_, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Filed the letter of intent of {letter.consortium} for {round_}.")
            return redirect("applications:applications")
    now = timezone.now()
    letter_open = round_.requires_loi and round_.status == Round.Status.OPEN and now < round_.loi_deadline
    show_form = bool(pending and letter_open) or bool(form.errors)
    context = {"round": round_, "form": form, "filed": filed, "show_form": show_form, "now": now}
    return render(request, "applications/letter_of_intent.html", context)


def _chosen_round(request, open_rounds: list[Round]) -> Round | None:
    """The round the person applies in: posted, picked in the URL (?round=), or the only one open. A posted round
    that is no longer open is kept, so that the refusal says why and the form is shown again as it was."""
    if len(open_rounds) == 1 and not request.POST.get("round"):
        return open_rounds[0]
    pk = request.POST.get("round") or request.GET.get("round")
    if not pk or not str(pk).isdigit():
        return None
    chosen = next((r for r in open_rounds if r.pk == int(pk)), None)
    if chosen is None and request.method == "POST":
        chosen = Round.objects.exclude(status=Round.Status.DRAFT).filter(pk=pk).prefetch_related("categories").first()
    return chosen


@login_required
def application_start(request):
    consortia = _consortia_where(request.user, "applications.start_application")
    if not consortia:
        raise PermissionDenied
    open_rounds = list(Round.objects.open_for_applications().prefetch_related("categories").order_by("closes_at"))
    round_ = _chosen_round(request, open_rounds)
    context = {"open_rounds": open_rounds, "round": round_}
    if round_ is None:
        # First step: the round, so that the next offers only its funding categories.
        choose = ChooseRoundForm(
            request.GET if "round" in request.GET else None,
            open_rounds=open_rounds,
            initial={"consortium": request.GET.get("consortium")},
        )
        if choose.is_bound:
            choose.is_valid()  # an unknown or closed round: its message, next to the choice
        return render(request, "applications/start.html", {**context, "choose": choose})
    picked = {"consortium": request.GET["consortium"]} if request.GET.get("consortium") else {}
    form = StartApplicationForm(request.POST or None, round_=round_, consortia=consortia, initial=picked)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                round_=form.cleaned_data["round"],
                consortium=form.cleaned_data["consortium"],
                category=form.cleaned_data["category"],
                by=request.user,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Started application {application.number}. Work through each section below.")
            return redirect(application)
    return render(request, "applications/start.html", {**context, "form": form})


@login_required
def application_detail(request, pk):
    application = get_authorized(request.user, "applications.view_application", checked(Application.objects), pk=pk)
    parts = read_parts(application)
    statuses = section_statuses(application)
    checks = all_checks(application, statuses)
    can_submit = (
        request.user.has_perm("applications.submit_application", application)
        and all(check.passed for check in checks)
        and application.round.is_accepting_applications()
    )
    context = {
        "application": application,
        "sections": services.section_progress(application, statuses),
        "checks": checks,
        "can_edit": request.user.has_perm("applications.change_application", application),
        "can_submit": can_submit,
        "now": timezone.now(),
        "closing": closing(application.round),
        "required_attachments": published_parts(application.round).required_attachments,
        "files": parts.attachments,
    }
    return render(request, "applications/detail.html", context)


def _version(request) -> int | None:
    try:
        return int(request.POST.get("section_version", ""))
    except ValueError:
        return None


def _template_name(section: str) -> str:
    """Sections kept on the application row share one template; the others have their own."""
    return section if section in (Section.PROGRAMS, Section.PARTNERS, Section.BUDGET, Section.NARRATIVES) else "fields"


def _draft_data(draft: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in draft.items():
        data.setlist(key, values)
    return data


@login_required
def application_section(request, pk, section):
    if section not in Section.values:
        raise Http404("No such section.")
    application = _application(request, pk)
    can_edit = request.user.has_perm("applications.change_application", application)
    context = {"application": application, "section": Section(section), "sections": Section.choices}
    if section == Section.ATTACHMENTS:
        summary = {
            "required_attachments": published_parts(application.round).required_attachments,
            "files": list(application.attachments.all()),
        }
        return render(request, "applications/section.html", {**context, "can_edit": can_edit, **summary})
    status, form, draft_problems = 200, None, []
    if request.method == "POST":
        if not can_edit:
            if application.is_editable:
                raise PermissionDenied
            messages.error(request, f"Not saved: application {application.number} is read-only now.")
            return redirect("applications:application-section", application.pk, section)
        form = section_form(section, application, request.POST, request.FILES)
        try:
            saved = services.save_section(
                application=application,
                section=section,
                version=_version(request),
                form=form,
                by=request.user,
                data=request.POST,
            )
        except Refusal as refusal:
            context.update(refusal=refusal.message, unsaved=True)
            status = 409
        else:
            if saved:
                messages.success(request, f"Saved “{Section(section).label}”.")
                return redirect("applications:application-section", application.pk, section)
            draft_problems = problems(form)
            context["files_dropped"] = bool(request.FILES)
    elif can_edit and (draft := application.section_drafts.get(section)) is not None:
        form = section_form(section, application, _draft_data(draft))
        draft_problems = problems(form)
    if form is None:
        form = section_form(section, application)
    context.update(
        form=form,
        form_template=f"applications/sections/_{_template_name(section)}.html",
        readonly_template=f"applications/sections/_{_template_name(section)}_readonly.html",
        can_edit=can_edit,
        draft_problems=draft_problems,
        draft_cuts=draft_cuts(application, section) if draft_problems else [],
        warnings=form.warnings(application) if not draft_problems else [],
        version=application.section_version(section) if status == 200 else _version(request),
        saved=services.last_saved(application, section),
    )
    return render(request, "applications/section.html", context, status=status)
