"""Panel members: their interviews, and scoring one against the round's interview rubric; staff unlock scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal

from ..forms import InterviewScoreForm, UnlockForm
from ..models import Interview, InterviewCriterion, InterviewReview
from ..services import scoring


@login_required
def mine(request):
    """The interviews of the panels the person sits on, soonest first, with their own scores' status."""
    interviews = (
        Interview.objects.filter(panel__memberships__member=request.user)
        .select_related("finalist__application__consortium", "panel__round")
        .order_by("starts_at")
    )
    own = dict(InterviewReview.objects.filter(member=request.user).values_list("interview_id", "status"))
    rows = [(interview, own.get(interview.pk)) for interview in interviews]
    return render(request, "interviews/mine.html", {"rows": rows})


@login_required
def score(request, pk):
    interview = get_authorized(
        request.user,
        "interviews.view_interview",
        Interview.objects.select_related("finalist__application__consortium", "panel__round"),
        pk=pk,
    )
    authorize(request.user, "interviews.score_interview", interview)
    round_ = interview.panel.round
    criteria = list(InterviewCriterion.objects.filter(round=round_))
    review = scoring.review_of(interview=interview, member=request.user)
    submit = "submit" in request.POST
    if request.method == "POST":
        form = InterviewScoreForm(request.POST, round=round_, criteria=criteria, submit=submit)
        valid = form.is_valid()
        if valid or not submit:
            try:
                scoring.save_review(interview=interview, by=request.user, data=form.data_for_service(), submit=submit)
            except Refusal as refusal:
                form.add_service_errors(refusal)
                messages.error(request, str(refusal))
            else:
                if valid:
                    messages.success(request, "Scores submitted." if submit else "Draft saved.")
                    return redirect("interviews:mine")
                messages.warning(request, "Draft saved, but for the marked entries: correct them and save again.")
    else:
        form = InterviewScoreForm(initial=InterviewScoreForm.initial_from(review), round=round_, criteria=criteria)
    context = {
        "interview": interview,
        "application": interview.finalist.application,
        "round": round_,
        "form": form,
        "review": review,
        "locked": review is not None and review.status == InterviewReview.Status.SUBMITTED,
    }
    return render(request, "interviews/score.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def unlock(request, pk):
    review = get_object_or_404(InterviewReview.objects.select_related("interview__panel__round"), pk=pk)
    authorize(request.user, "interviews.unlock_interview_review", review)
    form = UnlockForm(request.POST)
    try:
        if not form.is_valid():
            raise Refusal("Give a reason for unlocking the scores; it is kept in the record.")
        scoring.unlock(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{review.member}'s scores are a draft again.")
    return redirect(review.interview)
