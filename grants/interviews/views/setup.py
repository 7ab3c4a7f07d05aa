"""A round's interview stage: the overview (staff), settings and rubric (administrators), choosing finalists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.text import plural
from ccpt.lib.views import posted
from grants.programs.models import Round

from ..forms import CriterionForm, FinalistsForm, PanelForm, RemoveFinalistForm, SettingsForm, TopFinalistsForm
from ..models import Finalist, InterviewCriterion, InterviewReview, InterviewSettings, Panel
from ..services import finalists as finalist_services
from ..services import setup as setup_services
from ..services.ranking import method


def _finalists(round_: Round):
    submitted = Count("interview__reviews", filter=Q(interview__reviews__status=InterviewReview.Status.SUBMITTED))
    return (
        Finalist.objects.filter(round=round_)
        .select_related("application__consortium", "application__category", "application__score", "interview__panel")
        .annotate(
            scores_submitted=submitted,
            open_requests=Count("interview__slot_requests", filter=Q(interview__slot_requests__status="open")),
        )
        .order_by("application__score__rank", "application__number")
    )


@login_required
def round_interviews(request, pk):
    round_ = get_authorized(request.user, "interviews.manage_interviews", Round.objects.all(), pk=pk)
    found = setup_services.settings_of(round_)
    panels = Panel.objects.filter(round=round_).prefetch_related("memberships__member").annotate(n=Count("interviews"))
    context = {
        "round": round_,
        "settings": found,
        "can_configure": request.user.has_perm("interviews.configure_interviews", round_),
        "criteria": list(InterviewCriterion.objects.filter(round=round_)),
        "finalists": list(_finalists(round_)) if found else [],
        "panels": list(panels),
        "top_form": TopFinalistsForm(initial={"per_category": found.finalists_per_category}) if found else None,
        "panel_form": PanelForm() if found else None,
        "method": method(round_),
        "published": round_.results_published_at is not None,
    }
    return render(request, "interviews/round.html", context)


@login_required
def round_settings(request, pk):
    round_ = get_authorized(request.user, "interviews.configure_interviews", Round.objects.all(), pk=pk)
    instance = InterviewSettings.objects.filter(round=round_).first() or InterviewSettings(round=round_)
    form = SettingsForm(posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.configure(round_=round_, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, "Interview settings saved.")
            return redirect("interviews:round", round_.pk)
    status = 422 if form.errors else 200
    return render(request, "interviews/settings.html", {"round": round_, "form": form}, status=status)


@login_required
def criterion(request, pk=None, criterion_pk=None):
    if criterion_pk is not None:
        instance = get_object_or_404(InterviewCriterion.objects.select_related("round"), pk=criterion_pk)
        round_ = instance.round
    else:
        round_ = get_object_or_404(Round, pk=pk)
        instance = InterviewCriterion(round=round_)
    authorize(request.user, "interviews.configure_interviews", round_)
    if request.method == "POST" and "delete" in request.POST and instance.pk:
        try:
            setup_services.delete_criterion(criterion=instance, by=request.user)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Criterion “{instance.name}” removed.")
        return redirect("interviews:round", round_.pk)
    form = CriterionForm(posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.save_criterion(criterion=form.instance, by=request.user)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Criterion “{form.instance.name}” saved.")
            return redirect("interviews:round", round_.pk)
    context = {"round": round_, "form": form, "criterion": instance}
    return render(request, "interviews/criterion.html", context, status=422 if form.errors else 200)


@login_required
def finalists(request, pk):
    round_ = get_authorized(request.user, "interviews.manage_interviews", Round.objects.all(), pk=pk)
    ranked = list(finalist_services.ranked_by_reading(round_))
    chosen = set(Finalist.objects.filter(round=round_).values_list("application_id", flat=True))
    form = FinalistsForm(posted(request), ranked=ranked, initial={"applications": sorted(chosen)})
    top_form = TopFinalistsForm(request.POST if "per_category" in request.POST else None)
    if request.method == "POST":
        ids = None
        if top_form.is_bound and top_form.is_valid():
            ids = finalist_services.top_per_category(round_, top_form.cleaned_data["per_category"])
        elif not top_form.is_bound and form.is_valid():
            ids = form.cleaned_data["applications"]
        if ids is not None:
            try:
                made = finalist_services.choose(round_=round_, application_ids=ids, by=request.user)
            except Refusal as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, f"{plural(len(made), 'new finalist')}. Schedule their interviews below.")
                return redirect("interviews:round", round_.pk)
    context = {"round": round_, "ranked": ranked, "chosen": chosen, "form": form, "top_form": top_form}
    errors = form.errors if not top_form.is_bound else top_form.errors
    return render(request, "interviews/finalists.html", context, status=422 if errors else 200)


@login_required
@require_POST
def remove_finalist(request, pk):
    finalist = get_object_or_404(Finalist.objects.select_related("round", "application"), pk=pk)
    authorize(request.user, "interviews.manage_interviews", finalist.round)
    form = RemoveFinalistForm(request.POST)
    try:
        if not form.is_valid():
            raise Refusal(form.errors["reason"][0])
        finalist_services.remove(finalist=finalist, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{finalist.application.number} is no longer a finalist.")
    return redirect("interviews:round", finalist.round_id)
