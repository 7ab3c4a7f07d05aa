"""An interview: scheduling it (staff), its page (staff, its panel, the finalist), asking for another slot (the
finalist) and answering that request (staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.views import posted
from grants.applications.models import Application

from ..forms import AnswerForm, ConflictForm, ScheduleForm, SlotRequestForm, UnlockForm
from ..models import Finalist, Interview, InterviewCriterion, InterviewReview, Panel, SlotRequest
from ..services import panels, scheduling
from ..services.panels import conflicts_on
from ..services.setup import settings_of


@login_required
def schedule(request, pk):
    finalist = get_object_or_404(Finalist.objects.select_related("round", "application__consortium"), pk=pk)
    authorize(request.user, "interviews.manage_interviews", finalist.round)
    current = Interview.objects.filter(finalist=finalist).first()
    found = settings_of(finalist.round)
    initial = {"minutes": found.interview_minutes if found else 60}
    if current is not None:
        initial = {f: getattr(current, f) for f in ("panel", "starts_at", "minutes", "place", "video_link")}
    form = ScheduleForm(posted(request), panels=Panel.objects.filter(round=finalist.round), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interview = scheduling.schedule(finalist=finalist, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, f"Interview of {finalist.application.number} saved; the finalist is being emailed."
            )
            return redirect(interview)
    context = {"finalist": finalist, "round": finalist.round, "form": form, "current": current}
    return render(request, "interviews/schedule.html", context, status=422 if form.errors else 200)


def _interview_page(request, interview, *, request_form=None, status=200):
    user = request.user
    open_request = next((r for r in interview.slot_requests.all() if r.status == SlotRequest.Status.OPEN), None)
    may_see_scores = user.has_perm("interviews.view_interview_scores", interview)
    may_score = user.has_perm("interviews.score_interview", interview)
    reviews = []
    if may_see_scores and user.is_program_staff:
        reviews = list(InterviewReview.objects.filter(interview=interview).select_related("member"))
    context = {
        "interview": interview,
        "application": interview.finalist.application,
        "round": interview.panel.round,
        "staff": user.is_program_staff,
        "members": [m.member for m in interview.panel.memberships.select_related("member")],
        "requests": list(interview.slot_requests.all()),
        "open_request": open_request,
        "request_form": (request_form or SlotRequestForm())
        if user.has_perm("interviews.request_slot", interview) and open_request is None
        else None,
        "answer_form": AnswerForm()
        if open_request and user.has_perm("interviews.answer_slot_request", open_request)
        else None,
        "may_score": may_score,
        "conflict_form": ConflictForm() if may_score else None,
        "conflicts": conflicts_on(
            applications=Application.objects.filter(pk=interview.finalist.application_id),
            member_ids=interview.panel.memberships.values_list("member_id", flat=True),
        )
        if user.is_program_staff
        else [],
        "reviews": reviews,
        "unlock_form": UnlockForm() if user.is_program_staff else None,
        "criteria": list(InterviewCriterion.objects.filter(round=interview.panel.round)) if reviews else [],
    }
    return render(request, "interviews/interview.html", context, status=status)


def _interviews():
    return Interview.objects.select_related(
        "finalist__application__consortium", "finalist__round", "panel__round"
    ).prefetch_related("slot_requests__requested_by")


@login_required
def interview(request, pk):
    return _interview_page(request, get_authorized(request.user, "interviews.view_interview", _interviews(), pk=pk))


@login_required
@require_POST
def request_slot(request, pk):
    found = get_authorized(request.user, "interviews.view_interview", _interviews(), pk=pk)
    authorize(request.user, "interviews.request_slot", found)
    form = SlotRequestForm(request.POST)
    if form.is_valid():
        try:
            scheduling.request_slot(interview=found, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, "Request sent. Program staff will move the interview or answer you by email.")
            return redirect(found)
    return _interview_page(request, found, request_form=form, status=422)


@login_required
@require_POST
def declare_conflict(request, pk):
    found = get_authorized(request.user, "interviews.view_interview", _interviews(), pk=pk)
    form = ConflictForm(request.POST)
    try:
        if not form.is_valid():
            raise Refusal("Describe the conflict of interest; it is kept in the record.")
        panels.declare_conflict(interview=found, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Conflict recorded: you will not score this interview. Program staff are told.")
    return redirect(found)


@login_required
@require_POST
def answer_request(request, pk):
    slot_request = get_object_or_404(SlotRequest.objects.select_related("interview"), pk=pk)
    authorize(request.user, "interviews.answer_slot_request", slot_request)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise Refusal("Give an answer; the finalist reads it.")
        scheduling.decline_request(slot_request=slot_request, by=request.user, answer=form.cleaned_data["answer"])
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The slot stays; the finalist is being emailed your answer.")
    return redirect(slot_request.interview)
