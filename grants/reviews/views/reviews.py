"""The reader workspace: the queue, conflict attestation, scoring against the rubric, others' scores; staff unlock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants.applications.models import Attachment
from grants.applications.services import record, snapshot
from grants.applications.views.attachments import stream
from grants.models import StatusChange
from grants.programs.closing import closing

from ..forms.reviews import AttestationForm, ConflictForm, ReviewForm, UnlockForm
from ..models import Assignment, Review, Score
from ..services import conflicts, reviews


def _assignment(pk) -> Assignment:
    queryset = Assignment.objects.select_related(
        "reader", "application__round", "application__consortium__lead_agency", "application__category"
    )
    return get_object_or_404(queryset, pk=pk)


def _snapshot_context(submission, assignment: Assignment) -> dict:
    """The frozen snapshot, read-only: through the submissions partial when it has the standard shape,
    otherwise (an older or altered snapshot) every part of it as stored."""
    if submission is None:
        return {}
    # Beside the snapshot: answers to clarification requests and the messages staff shared with readers.
    parts = {"record_parts": record.parts_of(assignment.application, for_readers=True)}
    readable = snapshot.readable_snapshot(
        submission.data, file_url=lambda pk: reverse("reviews:attachment", args=[assignment.pk, pk])
    )
    if readable is None:
        return parts | {
            "snapshot_template": "applications/submissions/_snapshot_outline.html",
            "snapshot_outline": snapshot.outline(submission.data).get("children", []),
        }
    return parts | {
        "snapshot_template": "applications/submissions/_snapshot.html",
        "snapshot": readable,
        "closing": closing(assignment.application.round),
    }


def _scores(review):
    return Score.objects.filter(review=review).select_related("criterion") if review else Score.objects.none()


@login_required
def queue(request):
    return render(request, "reviews/queue.html", {"assignments": reviews.queue(reader=request.user)})


@login_required
def attest(request, pk):
    """Before first opening an application: attest no conflict, declare one, or decline a known one."""
    assignment = _assignment(pk)
    if not request.user.has_perm("reviews.attest_assignment", assignment):
        if request.user.has_perm("reviews.score_assignment", assignment):
            return redirect("reviews:review", pk)
        raise PermissionDenied
    application = assignment.application
    known = conflicts.reasons(reader=request.user, application=application)
    form = AttestationForm(request.POST if request.method == "POST" and not known else None)
    if request.method == "POST":
        try:
            if known and "decline" in request.POST:
                reviews.decline(assignment=assignment, by=request.user)
                messages.success(
                    request, f"You declined {application.number}. Program staff will assign another reader."
                )
                return redirect("reviews:reviews")
            if not known and form.is_valid():
                reviews.attest(assignment=assignment, by=request.user)
                messages.success(request, f"Attested. {application.number} is open for scoring.")
                return redirect("reviews:review", pk)
        except Refusal as error:
            messages.error(request, error.message)
            return redirect("reviews:reviews")
    context = {"assignment": assignment, "application": application, "known_conflicts": known, "form": form}
    if not known:
        context["members"] = application.consortium.memberships.select_related("organization").order_by(
            "organization__name"
        )
        context["partners"] = application.partners.select_related("organization").exclude(
            organization__memberships__consortium=application.consortium
        )
        context["conflict_form"] = ConflictForm()
    return render(request, "reviews/attest.html", context)


@login_required
def declare_conflict(request, pk):
    assignment = _assignment(pk)
    user = request.user
    if not (
        user.has_perm("reviews.attest_assignment", assignment) or user.has_perm("reviews.score_assignment", assignment)
    ):
        raise PermissionDenied
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.declare_conflict(assignment=assignment, by=user, reason=form.cleaned_data["reason"])
        except Refusal as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request,
                f"Conflict of interest recorded; {assignment.application.number} was removed from your reviews.",
            )
            return redirect("reviews:reviews")
    return render(request, "reviews/conflict.html", {"assignment": assignment, "form": form})


def _save(request, assignment, form) -> bool:
    """Submit, or save a draft. Every valid entry is kept even when others are wrong: a refused
    submission is saved as a draft. True when everything asked for was done."""
    valid = form.is_valid()
    try:
        reviews.save_review(
            assignment=assignment, by=request.user, data=form.data_for_service(), submit=form.submit and valid
        )
    except Refusal as error:
        form.add_service_errors(error)
        messages.error(request, error.message)
        return False
    if not valid:
        refused = "Your review was not submitted. " if form.submit else ""
        messages.error(request, f"{refused}Valid entries were saved as a draft; correct the marked fields.")
    return valid


def _needs_attestation(user, assignment) -> bool:
    # A reader with a known conflict is not sent on to the attestation page from here: 403, like every review URL.
    return user.has_perm("reviews.attest_assignment", assignment) and not conflicts.has_conflict(
        reader=user, application=assignment.application
    )


@login_required
def review(request, pk):
    """The submitted snapshot beside the rubric form; read-only once the review is submitted."""
    assignment = _assignment(pk)
    user = request.user
    if _needs_attestation(user, assignment):
        return redirect("reviews:review-attest", pk)
    authorize(user, "reviews.score_assignment", assignment)
    application, round_ = assignment.application, assignment.application.round
    review = Review.objects.filter(assignment=assignment).first()
    locked = review is not None and review.status == Review.Status.SUBMITTED
    criteria = list(round_.criteria.all())
    submit = "submit" in request.POST
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial=ReviewForm.initial_from(review),
        round=round_,
        criteria=criteria,
        submit=submit,
    )
    if request.method == "POST":
        if _save(request, assignment, form):
            messages.success(request, "Review submitted. It is now locked." if submit else "Draft saved.")
            return redirect("reviews:review", pk)
        if locked:
            return redirect("reviews:review", pk)
        review = Review.objects.filter(assignment=assignment).first()
    scores = list(_scores(review))
    submission = application.submissions.filter(is_current=True).first()
    context = {
        "assignment": assignment,
        "application": application,
        "round": round_,
        "review": review,
        "locked": locked,
        "form": None if locked else form,
        "scores": scores,
        "saved_total": reviews.weighted_total((s.criterion, s.points) for s in scores),
        "rubric_total": reviews.weighted_total((c, c.max_points) for c in criteria),
        "submission": submission,
        **_snapshot_context(submission, assignment),
        "attachments": application.attachments.select_related("required_attachment"),
        "can_see_others": user.has_perm("reviews.view_other_reviews", assignment),
        "conflict_form": ConflictForm(),
    }
    return render(request, "reviews/review.html", context)


@login_required
def attachment(request, pk, attachment_pk):
    """A file of the application, for its reader: through the assignment, attested and free of conflict."""
    assignment = _assignment(pk)
    authorize(request.user, "reviews.read_application", assignment)
    return stream(get_object_or_404(Attachment, pk=attachment_pk, application_id=assignment.application_id))


@login_required
def others(request, pk):
    """Other readers' submitted scores, never their names: only after one's own is submitted, never when blind."""
    assignment = _assignment(pk)
    authorize(request.user, "reviews.view_other_reviews", assignment)
    others = (
        Review.objects.filter(
            assignment__application_id=assignment.application_id,
            assignment__status__in=Assignment.ACTIVE,
            status=Review.Status.SUBMITTED,
        )
        .exclude(assignment=assignment)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("assignment__assigned_at", "assignment_id")
    )
    # Staff may look too (without names either); "your review" is only the reader's own.
    own = Review.objects.filter(assignment=assignment).first() if assignment.reader_id == request.user.pk else None
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "own": own,
        "own_scores": list(_scores(own)),
        "others": [(f"Reader {number}", other) for number, other in enumerate(others, start=1)],
    }
    return render(request, "reviews/others.html", context)


@login_required
def unlock(request, pk):
    """Staff return a submitted review to its reader as a draft, with a reason kept in the record."""
    review = get_object_or_404(
        Review.objects.select_related("assignment__reader", "assignment__application__round"), assignment_id=pk
    )
    authorize(request.user, "reviews.unlock_review", review)
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.unlock(review=review, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, f"Unlocked the review by {review.assignment.reader}; it is a draft again.")
            return redirect("reviews:review-unlock", pk)
    changes = StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Review), object_id=review.pk
    ).select_related("by")
    context = {
        "review": review,
        "assignment": review.assignment,
        "scores": list(_scores(review)),
        "form": form,
        "changes": changes,
    }
    return render(request, "reviews/unlock.html", context)
