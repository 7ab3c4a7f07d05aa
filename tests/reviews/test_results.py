"""Results release: staff publish once; applicants then see their scores and comments, never who read them."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from grants.reviews.models import ApplicationScore
from grants.reviews.services.scoring import score_round
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    ConflictFactory,
    ContactFactory,
    CriterionFactory,
    FundingCategoryFactory,
    RoundFactory,
    UserFactory,
    scored_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    round_ = RoundFactory(rank_by="mean", minimum_fundable_score=Decimal("60"))
    CriterionFactory(round=round_, name="Regional labor market", max_points=Decimal("40"), position=1)
    CriterionFactory(round=round_, name="Sustainability", max_points=Decimal("60"), position=2)
    application = ApplicationFactory(round=round_, status="submitted", number="R9-001")
    ContactFactory(consortium=application.consortium, user__email="lead@district.example.org")
    ContactFactory(consortium=application.consortium, user__email="partner@college.example.org", role="partner")
    first = UserFactory(
        role="Readers", first_name="Rosalind", last_name="Rutherford", email="rosalind@readers.example.org"
    )
    second = UserFactory(role="Readers", first_name="Quentin", last_name="Quill", email="quentin@readers.example.org")
    scored_review(application, first, [30, 40], comments=["Clear data", "Needs partner match"], overall_comment="Solid")
    scored_review(application, second, [35, 50], comments=["", "Good letters"])
    scored_review(
        application, UserFactory(role="Readers"), [1, 1], comments=["Draft words never shown", ""], status="draft"
    )
    other = ApplicationFactory(round=round_, status="submitted")
    ContactFactory(consortium=other.consortium, user__email="other@elsewhere.example.org")
    scored_review(other, first, [20, 20])
    score_round(round_id=round_.pk)
    return application


def login(client, email):
    assert client.login(email=email, password=PASSWORD)


def publish(client, staff_user, round_, capture, data=None):
    login(client, staff_user.email)
    with capture(execute=True):
        return client.post(reverse("reviews:results-publish", args=[round_.pk]), data or {"confirm": "on"})


def test_publishing_records_who_and_when_and_emails_each_applications_contacts_once(
    client, staff_user, application, django_capture_on_commit_callbacks
):
    response = publish(client, staff_user, application.round, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    application.round.refresh_from_db()
    assert application.round.results_published_at is not None
    latest = application.round.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff_user, "Results published")
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [
        ("lead@district.example.org", "partner@college.example.org"),
        ("other@elsewhere.example.org",),
    ]
    to_lead = next(m for m in mail.outbox if "lead@district.example.org" in m.to)
    assert reverse("reviews:results", args=[application.pk]) in to_lead.body
    assert "R9-001" in to_lead.subject

    again = publish(client, staff_user, application.round, django_capture_on_commit_callbacks)

    assert "already published" in again.content.decode()
    assert len(mail.outbox) == 2


def test_publishing_needs_the_confirmation_ticked(client, staff_user, application, django_capture_on_commit_callbacks):
    response = publish(client, staff_user, application.round, django_capture_on_commit_callbacks, data={"confirm": ""})

    assert "Tick the box to confirm; publishing cannot be undone." in response.content.decode()
    application.round.refresh_from_db()
    assert application.round.results_published_at is None
    assert mail.outbox == []


def test_before_publication_the_applicant_gets_a_notice_and_403(client, application):
    login(client, "lead@district.example.org")

    response = client.get(reverse("reviews:results", args=[application.pk]))

    assert response.status_code == 403
    assert "Results not published yet" in response.content.decode()
    assert "Clear data" not in response.content.decode()


def test_after_publication_the_applicant_sees_scores_and_comments_but_never_readers(
    client, staff_user, application, django_capture_on_commit_callbacks
):
    publish(client, staff_user, application.round, django_capture_on_commit_callbacks)
    client.logout()
    login(client, "partner@college.example.org")

    response = client.get(reverse("reviews:results", args=[application.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    # Totals 70 and 85: mean 77.50; criterion means (30+35)/2 = 32.50 and (40+50)/2 = 45.00
    score = ApplicationScore.objects.get(application=application)
    assert score.final == Decimal("77.50") and "77.50" in page
    assert "32.50" in page and "45.00" in page
    assert "1 of 2" in page  # rank in the round
    assert "Clear data" in page and "Needs partner match" in page and "Good letters" in page and "Solid" in page
    assert "Draft words never shown" not in page
    for secret in ("Rosalind", "Rutherford", "Quentin", "Quill", "rosalind@", "quentin@", "readers.example.org"):
        assert secret not in page
    assert "Reader 1" in page and "Reader 2" in page


def test_another_consortiums_contact_and_readers_never_see_the_results(
    client, staff_user, application, django_capture_on_commit_callbacks
):
    publish(client, staff_user, application.round, django_capture_on_commit_callbacks)
    client.logout()

    login(client, "other@elsewhere.example.org")
    assert client.get(reverse("reviews:results", args=[application.pk])).status_code == 403
    login(client, "rosalind@readers.example.org")
    assert client.get(reverse("reviews:results", args=[application.pk])).status_code == 403


def test_a_reader_found_in_conflict_is_not_counted_and_their_comments_are_not_shown(
    client, staff_user, application, django_capture_on_commit_callbacks
):
    quentin = application.assignments.get(reader__email="quentin@readers.example.org").reader
    ConflictFactory(reader=quentin, consortium=application.consortium)
    publish(client, staff_user, application.round, django_capture_on_commit_callbacks)
    login(client, "partner@college.example.org")

    page = client.get(reverse("reviews:results", args=[application.pk])).content.decode()

    assert "Good letters" not in page and "Reader 2" not in page
    assert "Clear data" in page and "Solid" in page and "Reader 1" in page
    assert ApplicationScore.objects.get(application=application).final == Decimal("70.00")


def test_the_rank_says_of_how_many_in_the_round_and_in_the_category(
    client, staff_user, application, django_capture_on_commit_callbacks
):
    round_ = application.round
    elsewhere = FundingCategoryFactory(round=round_, name="Up to $600,000")
    for points, category in (([10, 10], elsewhere), ([39, 59], elsewhere), ([5, 5], application.category)):
        other = ApplicationFactory(round=round_, status="submitted", category=category)
        scored_review(other, UserFactory(role="Readers"), points)
    score_round(round_id=round_.pk)
    publish(client, staff_user, round_, django_capture_on_commit_callbacks)
    login(client, "partner@college.example.org")

    page = client.get(reverse("reviews:results", args=[application.pk])).content.decode()

    # 5 ranked in the round: 98 (39 + 59) first, then this one's 77.50; in its own category, 77.50 before 10
    rank = page.split("Rank in the round</dt>")[1].split("</dd>")[0]
    in_category = page.split(f"Rank in {application.category.name}</dt>")[1].split("</dd>")[0]
    assert "2 of 5" in rank
    assert "1 of 2" in in_category


def test_scores_computed_before_the_counts_were_kept_take_them_from_their_ranks(application):
    """The migration's backfill (reviews 0003): ranks run 1..n in the round and in each category."""
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("grants.reviews.migrations.0003_ranked_counts").counts_from_ranks
    ApplicationScore.objects.update(ranked_in_round=0, ranked_in_category=0)

    backfill(apps, None)

    counts = ApplicationScore.objects.values_list("ranked_in_round", "ranked_in_category")
    assert sorted(counts) == [(2, 1), (2, 1)]  # two ranked in the round, each alone in its category
