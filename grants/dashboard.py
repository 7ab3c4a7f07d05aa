"""What each role must do next: the figures behind the dashboard, in a fixed number of queries."""

from django.db.models import Count
from django.utils import timezone

from ccpt.background.services import health
from ccpt.lib.queries import count_of
from consortia.models import Consortium, Invitation, Organization
from consortia.rules import spoken_for
from grants.applications.models import Application, Submission, long_texts
from grants.awards.models import Award, FundingPlan
from grants.interviews.models import Interview
from grants.programs.closing import closings
from grants.programs.models import Round
from grants.reporting.models import ProgressReport
from grants.reviews.models import ApplicationScore
from grants.reviews.services import reviews

OPEN_WORK = (Round.Status.OPEN, Round.Status.CLOSED, Round.Status.IN_REVIEW, Round.Status.DECIDED)
SUBMITTED = Application.Status.SUBMITTED


def for_applicant(user) -> dict:
    consortia = spoken_for(user)
    applications = (
        Application.objects.visible_to(user)
        .select_related("round", "consortium", "category")
        .defer(*long_texts())
        .order_by("-updated_at")
    )
    recent = list(applications[:10])
    closed = closings({a.round for a in recent})  # when each round really closed: staff may close one early
    for application in recent:
        application.closing = closed[application.round_id]
    return {
        "applications": recent,
        "open_rounds": list(Round.objects.open_for_applications().order_by("closes_at")),
        "offered_awards": list(
            Award.objects.filter(consortium_id__in=consortia, status=Award.Status.OFFERED).select_related(
                "consortium", "round"
            )
        ),
        "now": timezone.now(),
        # Progress reports the person's consortia owe (not yet submitted, or returned for changes), soonest first.
        "reports_due": list(
            ProgressReport.objects.filter(award__consortium_id__in=consortia, status__in=ProgressReport.OPEN)
            .select_related("award__consortium")
            .order_by("due_at")[:10]
        )
        if consortia
        else [],
        # Finalists' interviews until the round's results are published: the slot, and where to ask for another.
        "interviews": list(
            Interview.objects.filter(
                finalist__application__consortium_id__in=consortia, panel__round__results_published_at__isnull=True
            ).select_related("finalist__application")
        )
        if consortia
        else [],
    }


def for_reader(user) -> dict:
    queue = reviews.queue(reader=user)
    counts = dict.fromkeys(reviews.PROGRESS, 0)
    for assignment in queue:
        counts[assignment.progress] += 1
    return {"review_queue": queue[:10], "review_counts": counts, "reviews_to_do": len(queue) - counts["submitted"]}


def for_panel_member(user) -> dict:
    """The interviews of the panels the person sits on that they have not submitted scores for."""
    interviews = Interview.objects.filter(panel__memberships__member=user).exclude(
        reviews__member=user, reviews__status="submitted"
    )
    return {"interviews_to_score": interviews.count()}


def for_staff() -> dict:
    rounds = list(
        Round.objects.filter(status__in=OPEN_WORK)
        .select_related("program")
        .annotate(
            submitted=count_of(Application.objects.filter(status=SUBMITTED), "round"),
            drafts=count_of(Application.objects.filter(status=Application.Status.DRAFT), "round"),
            failed_screening=count_of(
                Submission.objects.filter(application__status=SUBMITTED, is_current=True, screening="failed"),
                "application__round",
            ),
        )
        .order_by("closes_at")
    )
    flagged = dict(
        ApplicationScore.objects.filter(flagged=True, consensus__isnull=True)
        .values_list("round_id")
        .annotate(n=Count("pk"))
    )
    for round_ in rounds:
        round_.flagged = flagged.get(round_.pk, 0)
    return {
        "background": health(),
        "work_rounds": rounds,
        "counts": {
            "consortia": Consortium.objects.count(),
            "organizations": Organization.objects.count(),
            "pending_invitations": Invitation.objects.pending().count(),
        },
    }


def for_administrator() -> dict:
    return {
        "draft_rounds": list(Round.objects.filter(status=Round.Status.DRAFT).order_by("opens_at")),
        "plans_to_approve": list(
            FundingPlan.objects.filter(status=FundingPlan.Status.SUBMITTED, round__status=Round.Status.IN_REVIEW)
            .select_related("round")
            .order_by("-created_at")
        ),
    }
