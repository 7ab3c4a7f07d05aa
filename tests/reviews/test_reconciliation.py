"""Reconciliation of an application whose readers disagree: revisit, a further reader, consensus, priorities."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consortia.models import Affiliation
from grants.models import StatusChange
from grants.programs.models import CompetitivePriority
from grants.reviews.models import ApplicationScore, Assignment, PriorityClaim, Reconciliation, Review
from grants.reviews.services.scoring import score_round
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CriterionFactory,
    RoundFactory,
    UserFactory,
    scored_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role="Program staff", first_name="Stella", last_name="Staff")


@pytest.fixture
def flagged():
    """An application read by two readers 50 points apart (threshold 15), scored."""
    round_ = RoundFactory(rank_by="mean", discrepancy_threshold=Decimal("15"))
    CriterionFactory(round=round_, name="Work-based learning", max_points=Decimal("50"), position=1)
    CriterionFactory(round=round_, name="Partnerships", max_points=Decimal("50"), weight=Decimal("2"), position=2)
    application = ApplicationFactory(round=round_, status="submitted")
    harsh = UserFactory(role="Readers", first_name="Harriet", last_name="Harsh")
    kind = UserFactory(role="Readers", first_name="Kevin", last_name="Kind")
    scored_review(application, harsh, [10, 10], comments=["Thin plan", "Few partners"])  # 10 + 20 = 30
    scored_review(application, kind, [40, 30], comments=["Strong", "Many"])  # 40 + 60 = 100
    score_round(round_id=round_.pk)
    return application


def score(application) -> ApplicationScore:
    return ApplicationScore.objects.get(application=application)


@pytest.fixture
def post_action(client, staff, flagged, django_capture_on_commit_callbacks):
    """Post data to a reconciliation action (a URL name) of `flagged` as `staff`, running on-commit callbacks."""

    def post(name, data):
        client.login(email=staff.email, password=PASSWORD)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse(f"reviews:{name}", args=[flagged.pk]), data)

    return post


def test_the_page_shows_readers_side_by_side_with_their_names_for_staff(client, staff, flagged):
    client.login(email=staff.email, password=PASSWORD)

    page = client.get(reverse("reviews:reconcile", args=[flagged.pk])).content.decode()

    assert "Reader 1" in page and "Reader 2" in page
    assert "Harriet Harsh" in page and "Kevin Kind" in page
    assert "Thin plan" in page and "Work-based learning" in page
    assert "flagged for reconciliation" in page


def test_every_field_of_the_page_has_its_own_id_and_label(client, staff, flagged):
    CompetitivePriority.objects.create(round=flagged.round, name="Dropout region", bonus_points=Decimal("3"))
    UserFactory(role="Readers")
    client.login(email=staff.email, password=PASSWORD)

    page = client.get(reverse("reviews:reconcile", args=[flagged.pk])).content.decode()
    choose = client.get(reverse("reviews:reconcile-reader", args=[flagged.pk])).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for field_id in ("id_revisit-reason", "id_consensus-total", "id_priorities-priorities_0"):
        assert f'for="{field_id}"' in page
    assert 'for="id_reader-reader"' in choose and 'for="id_reader-reason"' in choose


def test_asking_to_revisit_reopens_the_reviews_records_why_emails_and_rescores(staff, flagged, post_action):
    harsh_review = Review.objects.get(assignment__application=flagged, assignment__reader__last_name="Harsh")

    response = post_action(
        "reconcile-revisit", {"revisit-readers": [harsh_review.pk], "revisit-reason": "Check the partner letters again"}
    )

    assert response.status_code == 302
    harsh_review.refresh_from_db()
    assert harsh_review.status == Review.Status.DRAFT
    change = StatusChange.objects.get(object_id=harsh_review.pk, to_status="draft")
    assert change.by == staff and "Check the partner letters again" in change.reason
    record = Reconciliation.objects.get(application=flagged)
    assert (record.action, record.reason, record.by) == ("revisit", "Check the partner letters again", staff)
    assert [m.to for m in mail.outbox] == [[harsh_review.assignment.reader.email]]
    assert "Check the partner letters again" in mail.outbox[0].body
    assert score(flagged).readers == 1  # rescored on commit: the reopened review no longer counts


def test_a_revisit_without_a_reason_keeps_the_choice_and_says_why(flagged, post_action):
    review = Review.objects.filter(assignment__application=flagged).first()

    response = post_action("reconcile-revisit", {"revisit-readers": [review.pk], "revisit-reason": " "})

    assert response.status_code == 200
    assert "Give a reason; it is kept in the record." in response.content.decode()
    assert response.context["revisit_form"]["readers"].value() == [str(review.pk)]
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert not Reconciliation.objects.exists()


def test_adding_a_further_reader_assigns_them_and_records_it(staff, flagged, post_action):
    third = UserFactory(role="Readers", first_name="Thea", last_name="Third")

    response = post_action("reconcile-reader", {"reader-reader": third.pk, "reader-reason": "A third opinion"})

    assert response.status_code == 302
    assignment = Assignment.objects.get(application=flagged, reader=third)
    assert (assignment.status, assignment.assigned_by) == ("assigned", staff)
    record = Reconciliation.objects.get(application=flagged)
    assert record.action == "extra_reader" and "A third opinion" in record.reason
    assert third.email in [address for message in mail.outbox for address in message.to]


def test_further_readers_are_chosen_on_a_page_of_their_own_with_their_load(client, staff, flagged):
    free = UserFactory(role="Readers", first_name="Fran", last_name="Free")
    client.login(email=staff.email, password=PASSWORD)

    reconcile = client.get(reverse("reviews:reconcile", args=[flagged.pk])).content.decode()
    choose = client.get(reverse("reviews:reconcile-reader", args=[flagged.pk])).content.decode()

    assert "Fran Free" not in reconcile  # the reconcile page does not read the reader pool
    assert f'href="{reverse("reviews:reconcile-reader", args=[flagged.pk])}"' in reconcile
    assert re.search(rf'<option value="{free.pk}">Fran Free \(0 in this round\)</option>', choose)
    assert "Add a further reader to " + flagged.number in choose


def test_a_conflicted_reader_is_not_offered_and_cannot_be_added(client, staff, flagged, post_action):
    conflicted = UserFactory(role="Readers", first_name="Connie", last_name="Conflicted")
    Affiliation.objects.create(user=conflicted, organization=flagged.consortium.lead_agency)
    client.login(email=staff.email, password=PASSWORD)
    offered = client.get(reverse("reviews:reconcile-reader", args=[flagged.pk])).content.decode()
    assert "Connie Conflicted" not in offered

    response = post_action("reconcile-reader", {"reader-reader": conflicted.pk, "reader-reason": "Try"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.filter(reader=conflicted).exists()


def test_a_consensus_score_is_recorded_with_its_reason_and_becomes_the_final(flagged, post_action):
    response = post_action(
        "reconcile-consensus", {"consensus-total": "66.5", "consensus-reason": "Panel call on May 2"}
    )

    assert response.status_code == 302
    record = Reconciliation.objects.get(application=flagged)
    assert (record.action, record.consensus_total, record.reason) == (
        "consensus",
        Decimal("66.50"),
        "Panel call on May 2",
    )
    assert (score(flagged).consensus, score(flagged).final) == (Decimal("66.50"), Decimal("66.50"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"consensus-total": "151", "consensus-reason": "x"}, "Enter a total from 0 to 150."),
        ({"consensus-total": "-1", "consensus-reason": "x"}, "Enter a total of 0 or more."),
        ({"consensus-total": "sixty", "consensus-reason": "x"}, "Enter the total as a number"),
        ({"consensus-total": "60", "consensus-reason": ""}, "Give a reason; it is kept in the record."),
    ],
)
def test_a_bad_consensus_is_refused_next_to_the_field_keeping_what_was_typed(flagged, data, message, post_action):
    response = post_action("reconcile-consensus", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["consensus_form"]["total"].value() == data["consensus-total"]
    assert not Reconciliation.objects.exists()


def test_clearing_the_consensus_returns_to_the_readers_score(flagged, post_action):
    post_action("reconcile-consensus", {"consensus-total": "66", "consensus-reason": "Panel"})

    response = post_action("reconcile-clear", {"clear-reason": "Readers revisited"})

    assert response.status_code == 302
    assert list(Reconciliation.objects.filter(application=flagged).values_list("action", flat=True)) == [
        "consensus",
        "cleared",
    ]
    assert (score(flagged).consensus, score(flagged).final) == (None, Decimal("65.00"))


def test_confirming_priorities_records_who_and_rescores(staff, flagged, post_action):
    bonus = CompetitivePriority.objects.create(round=flagged.round, name="Dropout region", bonus_points=Decimal("3"))
    tie = CompetitivePriority.objects.create(round=flagged.round, name="Apprenticeship", use="tie_break")

    response = post_action("priority-claims", {"priorities-priorities": [bonus.pk, tie.pk]})

    assert response.status_code == 302
    claims = PriorityClaim.objects.filter(application=flagged)
    assert {(c.priority.name, c.confirmed_by) for c in claims} == {("Dropout region", staff), ("Apprenticeship", staff)}
    assert score(flagged).bonus == Decimal("3.00")

    post_action("priority-claims", {"priorities-priorities": [tie.pk]})

    assert list(PriorityClaim.objects.filter(application=flagged).values_list("priority__name", flat=True)) == [
        "Apprenticeship"
    ]
    assert score(flagged).bonus == Decimal("0.00")


def test_nothing_can_be_reconciled_once_results_are_published(client, flagged, post_action):
    flagged.round.results_published_at = timezone.now()
    flagged.round.save(update_fields=["results_published_at"])

    response = post_action("reconcile-consensus", {"consensus-total": "60", "consensus-reason": "Late"})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "The round&#x27;s results are published; its scores can no longer change." in page
    assert not Reconciliation.objects.exists()
