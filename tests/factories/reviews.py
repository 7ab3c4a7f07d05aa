"""Conflicts, assignments, reviews and scores, and computed application scores."""

from decimal import Decimal

import factory
from django.utils import timezone

from grants.applications.models import Application

from .applications import ApplicationFactory, SubmissionFactory
from .consortia import ConsortiumFactory, UserFactory
from .programs import CriterionFactory


class ConflictFactory(factory.django.DjangoModelFactory):
    """A conflict recorded by staff with a consortium (pass organization=..., consortium=None for an organization)."""

    class Meta:
        model = "reviews.Conflict"

    reader = factory.SubFactory(UserFactory, role="Readers")
    consortium = factory.SubFactory(ConsortiumFactory)
    source = "staff"
    reason = "Former employee of the lead agency."
    recorded_by = factory.SubFactory(UserFactory, role="Program staff")


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A reader assigned to a submitted application that has its current snapshot; awaiting attestation.

    Pass status="accepted" for an attested assignment (attested_at follows).
    """

    class Meta:
        model = "reviews.Assignment"

    application = factory.LazyFunction(lambda: SubmissionFactory().application)
    reader = factory.SubFactory(UserFactory, role="Readers")
    status = "assigned"
    attested_at = factory.LazyAttribute(lambda a: timezone.now() if a.status == "accepted" else None)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review of an attested assignment; submitted=True for a submitted one."""

    class Meta:
        model = "reviews.Review"

    class Params:
        submitted = factory.Trait(status="submitted", submitted_at=factory.LazyFunction(timezone.now))

    assignment = factory.SubFactory(AssignmentFactory, status="accepted")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Score"

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(
        CriterionFactory, round=factory.SelfAttribute("..review.assignment.application.round")
    )
    points = Decimal("10")


def scored_review(application, reader, points, *, comments=(), status="submitted", overall_comment=""):
    """A reader's review of an application with `points` in the order of the round's criteria (position, pk).

    Reuses the reader's active assignment when there is one; returns the Review.
    """
    from grants.reviews.models import Assignment

    assignment = Assignment.objects.active().filter(application=application, reader=reader).first()
    if assignment is None:
        assignment = AssignmentFactory(application=application, reader=reader, status="accepted")
    review = ReviewFactory(assignment=assignment, submitted=True, status=status, overall_comment=overall_comment)
    criteria = list(application.round.criteria.order_by("position", "pk"))
    comments = list(comments) + [""] * len(criteria)
    for criterion, value, comment in zip(criteria, points, comments, strict=False):
        ScoreFactory(review=review, criterion=criterion, points=Decimal(str(value)), comment=comment)
    return review


def read_by_new_readers(application, points) -> None:
    """For each value in `points`, a submitted review by a new reader (the round has a one-criterion rubric)."""
    for value in points:
        scored_review(application, UserFactory(role="Readers"), [value])


class ApplicationScoreFactory(factory.django.DjangoModelFactory):
    """A computed score: ranked, fundable, final 100 - rank unless given."""

    class Meta:
        model = "reviews.ApplicationScore"

    application = factory.SubFactory(
        ApplicationFactory, status=Application.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
    )
    round = factory.SelfAttribute("application.round")
    readers = 3
    rank = 1
    category_rank = factory.SelfAttribute("rank")
    final = factory.LazyAttribute(lambda s: Decimal(100 - (s.rank or 0)))
    fundable = True
    computed_at = factory.LazyFunction(timezone.now)


def ranked_application(round_, category, rank, requested, **kwargs) -> Application:
    """A submitted application of the round with a computed score at `rank` (pass fundable=False, final=...)."""
    score = {key: kwargs.pop(key) for key in ("fundable", "final") if key in kwargs}
    application = ApplicationFactory(
        round=round_,
        category=category,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
        requested_amount=Decimal(requested),
        **kwargs,
    )
    ApplicationScoreFactory(application=application, rank=rank, **score)
    return application
