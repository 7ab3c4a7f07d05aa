"""Which reviews a score is made from: submitted ones of current, conflict-free readers."""

from decimal import Decimal

import pytest
from django.utils import timezone

from consortia.models import Affiliation
from grants.applications.models import Application
from grants.reviews.models import ApplicationScore, Assignment, Conflict
from grants.reviews.services.conflicts import conflicted_pairs
from grants.reviews.services.scoring import counted_scores_of, in_conflict, score_round
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    one_criterion_round,
    scored_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(round=one_criterion_round(), status="submitted")


def scored(application) -> ApplicationScore:
    score_round(round_id=application.round_id)
    return ApplicationScore.objects.get(application=application)


def test_only_submitted_reviews_count(application):
    scored_review(application, UserFactory(role="Readers"), [80])
    scored_review(application, UserFactory(role="Readers"), [20], status="draft")

    score = scored(application)

    assert (score.readers, score.raw_mean) == (1, Decimal("80.00"))


@pytest.mark.parametrize("status", [Assignment.Status.REMOVED, Assignment.Status.DECLINED])
def test_a_review_of_an_ended_assignment_does_not_count(application, status):
    scored_review(application, UserFactory(role="Readers"), [80])
    ended = scored_review(application, UserFactory(role="Readers"), [20]).assignment
    Assignment.objects.filter(pk=ended.pk).update(status=status, ended_at=timezone.now())

    score = scored(application)

    assert (score.readers, score.raw_mean, score.spread) == (1, Decimal("80.00"), Decimal("0.00"))


def test_a_conflict_found_after_the_reader_submitted_drops_their_review(application):
    scored_review(application, UserFactory(role="Readers"), [80])
    late = UserFactory(role="Readers")
    scored_review(application, late, [20])
    Conflict.objects.create(
        reader=late,
        consortium=application.consortium,
        source=Conflict.Source.STAFF,
        reason="Former board member",
        recorded_by=UserFactory(role="Program staff"),
    )

    assert scored(application).readers == 1


def test_an_application_without_a_counted_review_gets_a_row_without_rank(application):
    scored_review(application, UserFactory(role="Readers"), [50], status="draft")

    score = scored(application)

    assert score.readers == 0
    assert (score.raw_mean, score.normalized, score.final, score.rank, score.category_rank) == (None,) * 5
    assert score.fundable is False


def test_draft_and_withdrawn_applications_get_no_row(application):
    draft = ApplicationFactory(round=application.round)
    withdrawn = ApplicationFactory(round=application.round, status="withdrawn")

    assert score_round(round_id=application.round_id) == 1
    assert not ApplicationScore.objects.filter(application__in=[draft, withdrawn]).exists()


def test_a_row_goes_when_its_application_is_withdrawn(application):
    scored_review(application, UserFactory(role="Readers"), [50])
    scored(application)
    application.status = "withdrawn"
    application.save(update_fields=["status"])

    assert score_round(round_id=application.round_id) == 0
    assert not ApplicationScore.objects.filter(application=application).exists()


def test_the_sql_conflict_rule_gives_the_same_answers_as_the_conflicts_service(application):
    staff = UserFactory(role="Program staff")
    member = MembershipFactory(consortium=application.consortium).organization
    lead = application.consortium.lead_agency
    readers = {
        name: UserFactory(role="Readers") for name in ("lead", "member", "consortium", "org", "org_member", "free")
    }
    Affiliation.objects.create(user=readers["lead"], organization=lead)
    Affiliation.objects.create(user=readers["member"], organization=member)
    Affiliation.objects.create(user=readers["free"], organization=OrganizationFactory())
    for name, target in (
        ("consortium", {"consortium": application.consortium}),
        ("org", {"organization": lead}),
        ("org_member", {"organization": member}),
    ):
        Conflict.objects.create(reader=readers[name], source="staff", reason="x", recorded_by=staff, **target)
    for reader in readers.values():
        scored_review(application, reader, [50])

    in_sql = set(Assignment.objects.filter(in_conflict()).values_list("reader_id", "application_id"))
    in_python = set(conflicted_pairs(applications=Application.objects.filter(pk=application.pk)))
    counted = set(counted_scores_of(application).values_list("review__assignment__reader_id", flat=True))

    assert in_sql == in_python
    assert counted == {readers["free"].pk}  # counted_scores_of, one application's: the same rule with its ids
    assert {reader for reader, _ in in_sql} == {
        readers[n].pk for n in ("lead", "member", "consortium", "org", "org_member")
    }
    assert scored(application).readers == 1
