"""A round with an interview stage, ranked by reading, for the interview tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grants.interviews.models import (
    Finalist,
    Interview,
    InterviewCriterion,
    InterviewReview,
    InterviewSettings,
    Panel,
    PanelMember,
)
from grants.reviews.services.scoring import score_round
from tests.factories import (
    ApplicationFactory,
    FundingCategoryFactory,
    UserFactory,
    one_criterion_round,
    read_by_new_readers,
)


def interview_round(readings=("80", "70", "60"), **settings):
    """A round (rubric of one criterion worth 100, ranked by mean) whose applications read `readings`, with an
    interview stage (settings as given) and an interview rubric of one criterion worth 50. Returns the round and
    its applications in the order of `readings`."""
    round_ = one_criterion_round(rank_by="mean", minimum_fundable_score=Decimal("65"))
    applications = []
    category = FundingCategoryFactory(round=round_)
    for points in readings:
        application = ApplicationFactory(round=round_, status="submitted", category=category)
        read_by_new_readers(application, [points])
        applications.append(application)
    InterviewSettings.objects.create(round=round_, **settings)
    InterviewCriterion.objects.create(round=round_, name="Presentation", max_points=Decimal("50"))
    score_round(round_id=round_.pk)
    return round_, applications


def panel_of(round_, *members, name="Panel A"):
    panel = Panel.objects.create(round=round_, name=name, created_by=UserFactory(role="Program staff"))
    for member in members:
        PanelMember.objects.create(panel=panel, member=member, added_by=panel.created_by)
    return panel


def held_interview(application, panel, *, hours_ago=2) -> Interview:
    """A finalist's interview that took place `hours_ago` hours ago (negative: in the future)."""
    finalist = Finalist.objects.get_or_create(
        application=application, defaults={"round": application.round, "chosen_by": panel.created_by}
    )[0]
    return Interview.objects.create(
        finalist=finalist,
        panel=panel,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        minutes=60,
        place="CDE, 1430 N Street, Sacramento",
        scheduled_by=panel.created_by,
    )


def scored(interview, member, points) -> InterviewReview:
    """A member's submitted interview review with `points` on the one criterion (weight 1)."""
    return InterviewReview.objects.create(
        interview=interview, member=member, status="submitted", total=Decimal(points), submitted_at=timezone.now()
    )
