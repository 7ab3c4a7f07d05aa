"""Awards: lists per round and program, the consortium's own, an award's page, letter, answer, status, amendments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.money import ZERO, format_money
from ccpt.lib.pdf import PdfUnavailable, unavailable_page
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.queries import Prebuilt, person_name
from ccpt.lib.refusal import Refusal
from ccpt.lib.views import posted
from consortia.rules import spoken_for
from grants import workflow
from grants.applications.models import long_texts
from grants.programs.models import Program, Round

from ..forms import (
    AmendmentForm,
    AwardResponseForm,
    AwardStatusForm,
)
from ..models import Amendment, Award, Instalment, Notice
from ..services import awards as changes
from ..services.letters import award_letter_filename, award_letter_pdf

PAGE_SIZE = 100


ROUNDS = Round.objects.select_related("program")


# What an award's page shows with it (the letter reads the program too, a query beside the PDF's work).
AWARDS = Award.objects.select_related("round", "consortium__lead_agency", "category", "application", "responded_by")


def _award_rows(awards):
    notices = Notice.objects.filter(kind=Notice.Kind.AWARD).order_by("-queued_at", "-pk")
    return (
        awards.select_related("round", "consortium", "category", "application")
        .defer(*long_texts("application__"))
        .prefetch_related(Prefetch("notices", queryset=notices, to_attr="latest_notices"))
    )


def _award_totals(awards) -> dict:
    rows = awards.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    committed = awards.filter(status__in=Award.COMMITTING).order_by().aggregate(total=Sum("amount"))["total"]
    return {
        "by_status": [(label, counts.get(value, 0)) for value, label in Award.Status.choices],
        "committed": committed or ZERO,
    }


@login_required
def round_awards(request, pk):
    round_ = get_object_or_404(ROUNDS, pk=pk)
    authorize(request.user, "awards.manage_award")
    awards = Award.objects.filter(round=round_).order_by("number")
    context = {
        "round": round_,
        "program": round_.program,
        "page": Paginator(_award_rows(awards), PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": _award_totals(awards),
        "show_round": False,
    }
    return render(request, "awards/list.html", context)


@login_required
def program_awards(request, pk):
    program = get_object_or_404(Program, pk=pk)
    authorize(request.user, "awards.manage_award")
    awards = Award.objects.filter(round__program=program).order_by("round__opens_at", "number")
    context = {
        "program": program,
        "page": Paginator(_award_rows(awards), PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": _award_totals(awards),
        "show_round": True,
    }
    return render(request, "awards/list.html", context)


@login_required
def my_awards(request):
    """A consortium contact's awards (staff find awards per round and per program)."""
    awards = Award.objects.filter(consortium_id__in=spoken_for(request.user)).order_by("-offered_at")
    programs = Program.objects.order_by("name") if request.user.has_perm("awards.manage_award") else []
    return render(request, "awards/mine.html", {"awards": _award_rows(awards), "programs": programs})


# An award's lists, read on every view of its page with SQL built once per process (ccpt.lib.queries.Prebuilt).
_INSTALMENTS = Prebuilt(lambda pk: Instalment.objects.filter(award_id=pk))
_AMENDMENTS = Prebuilt(lambda pk: Amendment.objects.filter(award_id=pk).annotate(by_name=person_name("by")))
_NOTICES = Prebuilt(
    lambda pk: (
        Notice.objects.filter(award_id=pk)
        .annotate(requested_by_name=person_name("requested_by"))
        .order_by("queued_at", "pk")
    )
)


def _award_page(request, award: Award, **bound):
    user = request.user
    can_manage = user.has_perm("awards.manage_award", award)
    steps = [option.transition for option in changes.staff_changes(award, user)]
    forms = {"response_form": AwardResponseForm(), "status_form": AwardStatusForm(steps=steps)}
    forms.update(bound)
    instalments = _INSTALMENTS.rows(award.pk)
    context = {
        "award": award,
        "round": award.round,
        "instalments": instalments,
        "paid": sum((i.amount for i in instalments if i.paid_on), ZERO),
        "amendments": _AMENDMENTS.rows(award.pk),
        "history": workflow.history_lines(award),
        "history_caption": f"Who changed the status of award {award.number}, when and why",
        "notices": _NOTICES.rows(award.pk),
        "can_respond": user.has_perm("awards.respond_to_award", award),
        "can_manage": can_manage,
        "can_amend": can_manage and award.status in changes.AMENDABLE,
        "steps": steps,
        **forms,
    }
    return render(request, "awards/detail.html", context)


@login_required
def award_detail(request, pk):
    return _award_page(request, get_authorized(request.user, "awards.view_award", AWARDS, pk=pk))


@login_required
def award_letter(request, pk):
    award = get_authorized(request.user, "awards.view_award", AWARDS, pk=pk)
    try:
        letter = award_letter_pdf(award)
    except PdfUnavailable:
        return unavailable_page(request, back_url=reverse("awards:award", args=[pk]), back_to=f"award {award.number}")
    response = HttpResponse(letter, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{award_letter_filename(award)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def award_respond(request, pk):
    award = get_authorized(request.user, "awards.view_award", AWARDS, pk=pk)
    if award.status != Award.Status.OFFERED:  # a second click, or a second tab: say so rather than refuse
        messages.error(request, f"This award is already {award.get_status_display().lower()}; nothing was changed.")
        return redirect("awards:award", award.pk)
    authorize(request.user, "awards.respond_to_award", award)
    form = AwardResponseForm(request.POST)
    if not form.is_valid():
        return _award_page(request, award, response_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        changes.respond(award=award, by=request.user, accept=accept, reason=form.cleaned_data["reason"])
    except Refusal as error:
        messages.error(request, error.message)
    else:
        if accept:
            messages.success(request, f"You accepted award {award.number}. Program staff have been told on this page.")
        else:
            messages.success(request, f"You declined award {award.number}. Your reason is kept in the record.")
    return redirect("awards:award", award.pk)


@login_required
@require_POST
def award_status(request, pk):
    award = get_authorized(request.user, "awards.manage_award", AWARDS, pk=pk)
    steps = [option.transition for option in changes.staff_changes(award, request.user)]
    form = AwardStatusForm(request.POST, steps=steps)
    if not form.is_valid():
        return _award_page(request, award, status_form=form)
    try:
        changes.change_status(
            award=award, target=form.cleaned_data["target"], by=request.user, reason=form.cleaned_data["reason"]
        )
    except Refusal as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Award {award.number} is now {award.get_status_display().lower()}.")
    return redirect("awards:award", award.pk)


@login_required
def award_amend(request, pk):
    award = get_authorized(request.user, "awards.manage_award", AWARDS, pk=pk)
    form = AmendmentForm(posted(request), award=award)
    amendable = award.status in changes.AMENDABLE
    if request.method == "POST" and form.is_valid():
        old = award.amount
        try:
            changes.amend(award=award, by=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            award.refresh_from_db()
            messages.success(
                request,
                f"Award {award.number} amended: {format_money(old)} to {format_money(award.amount)}, fiscal years "
                f"{award.fiscal_years[0]} through {award.fiscal_years[-1]}. The payment schedule was adjusted.",
            )
            return redirect("awards:award", award.pk)
    context = {"award": award, "form": form, "amendable": amendable, "instalments": award.instalments.all()}
    return render(request, "awards/amend.html", context)
