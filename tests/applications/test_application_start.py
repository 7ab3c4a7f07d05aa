from datetime import timedelta
from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants.applications.models import Application
from grants.applications.services.drafts import start_application
from grants.models import StatusChange
from grants.programs.models import Round
from tests.factories import (
    ApplicationFactory,
    ConsortiumFactory,
    FundingCategoryFactory,
    LetterOfIntentFactory,
    OpenRoundFactory,
    UserFactory,
    contact_of,
)
from tests.helpers import race

pytestmark = pytest.mark.django_db


START = reverse("applications:application-start")


@pytest.fixture
def round_():
    return OpenRoundFactory(code="r2", name="Round 2")


@pytest.fixture
def category(round_):
    return FundingCategoryFactory(round=round_, name="$6 million")


@pytest.fixture
def consortium():
    return ConsortiumFactory(name="Capital Region Academies")


@pytest.fixture
def lead(client, consortium):
    user = contact_of(consortium)
    client.force_login(user)
    return user


def start(client, round_, category, consortium):
    return client.post(START, {"round": round_.pk, "category": category.pk, "consortium": consortium.pk})


def test_a_lead_contact_starts_a_draft_numbered_within_the_round(client, lead, consortium, round_, category):
    response = start(client, round_, category, consortium)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("applications:application", args=[application.pk])
    assert application.number == "R2-0001"
    assert (application.round, application.consortium, application.category) == (round_, consortium, category)
    assert application.status == Application.Status.DRAFT
    assert application.created_by == lead
    change = StatusChange.objects.get(object_id=application.pk)
    assert (change.from_status, change.to_status, change.by) == ("", "draft", lead)


def test_the_start_page_offers_open_rounds_and_their_categories(client, lead, round_, category):
    OpenRoundFactory(name="Round that closed", closes_at=timezone.now() - timedelta(minutes=1))

    page = client.get(START).content.decode()

    assert "Round 2" in page
    assert "$6 million" in page
    assert "Round that closed" not in page


def test_numbers_follow_a_four_digit_sequence_per_round(round_, category):
    other_round = OpenRoundFactory(code="r3")
    other_category = FundingCategoryFactory(round=other_round)
    by = UserFactory()
    first = start_application(round_=round_, consortium=ConsortiumFactory(), category=category, by=by)
    second = start_application(round_=round_, consortium=ConsortiumFactory(), category=category, by=by)
    Application.objects.filter(pk=second.pk).update(status=Application.Status.WITHDRAWN)
    third = start_application(round_=round_, consortium=ConsortiumFactory(), category=category, by=by)
    elsewhere = start_application(round_=other_round, consortium=ConsortiumFactory(), category=other_category, by=by)

    assert [first.number, second.number, third.number] == ["R2-0001", "R2-0002", "R2-0003"]
    assert elsewhere.number == "R3-0001"


def test_it_refuses_a_second_live_application_of_the_consortium_in_the_round(
    client, lead, consortium, round_, category
):
    ApplicationFactory(round=round_, consortium=consortium, category=category, number="R2-0001")

    response = start(client, round_, category, consortium)

    assert response.status_code == 200
    assert "already has application R2-0001" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_withdrawn_application_does_not_block_a_new_one(client, lead, consortium, round_, category):
    ApplicationFactory(
        round=round_, consortium=consortium, category=category, number="R2-0001", status=Application.Status.WITHDRAWN
    )

    response = start(client, round_, category, consortium)

    assert response.status_code == 302
    assert Application.objects.get(status=Application.Status.DRAFT).number == "R2-0002"


def test_it_refuses_when_the_round_requires_a_letter_of_intent_that_was_not_filed(
    client, lead, consortium, round_, category
):
    Round.objects.filter(pk=round_.pk).update(loi_deadline=timezone.now() - timedelta(days=1))

    response = start(client, round_, category, consortium)

    assert response.status_code == 200
    assert "requires a letter of intent" in response.content.decode()
    assert not Application.objects.exists()


def test_a_filed_letter_of_intent_lets_the_consortium_start(client, lead, consortium, round_, category):
    Round.objects.filter(pk=round_.pk).update(loi_deadline=timezone.now() - timedelta(days=1))
    LetterOfIntentFactory(round=round_, consortium=consortium)

    assert start(client, round_, category, consortium).status_code == 302
    assert Application.objects.filter(consortium=consortium).exists()


def test_it_refuses_after_the_round_closed(client, lead, consortium, round_, category):
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = start(client, round_, category, consortium)

    assert response.status_code == 200
    assert "closed on" in response.content.decode()
    assert not Application.objects.exists()


def test_closing_is_checked_to_the_second_on_the_server_clock(consortium, round_, category):
    by = UserFactory()
    with pytest.raises(Refusal, match="closed on"):
        start_application(round_=round_, consortium=consortium, category=category, by=by, at=round_.closes_at)

    application = start_application(
        round_=round_, consortium=consortium, category=category, by=by, at=round_.closes_at - timedelta(seconds=1)
    )
    assert application.number == "R2-0001"


def test_it_refuses_a_round_that_is_not_open(client, lead, consortium, round_, category):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)

    response = start(client, round_, category, consortium)

    assert response.status_code == 200
    assert "is not accepting applications" in response.content.decode()
    assert not Application.objects.exists()


def test_it_refuses_a_funding_category_of_another_round(client, lead, consortium, round_):
    foreign = FundingCategoryFactory(round=OpenRoundFactory())

    response = start(client, round_, foreign, consortium)

    assert response.status_code == 200
    assert f"Choose a funding category of {round_}" in response.content.decode()
    assert not Application.objects.exists()


def test_a_partner_contact_cannot_start_an_application(client, consortium, round_, category):
    client.force_login(contact_of(consortium, role=Contact.Role.PARTNER))

    assert client.get(START).status_code == 403
    assert start(client, round_, category, consortium).status_code == 403
    assert not Application.objects.exists()


def test_a_lead_cannot_start_for_a_consortium_they_do_not_lead(client, lead, round_, category):
    stranger = ConsortiumFactory()

    response = start(client, round_, category, stranger)

    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_lead_of_several_consortia_chooses_which_one_applies(client, lead, round_, category):
    second = ConsortiumFactory(name="Second Consortium")
    Contact.objects.create(consortium=second, user=lead, role=Contact.Role.LEAD)

    page = client.get(START).content.decode()
    assert "Second Consortium" in page and "Capital Region Academies" in page

    assert start(client, round_, category, second).status_code == 302
    assert Application.objects.get().consortium == second


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_in_one_round_draw_different_numbers(round_, category):
    by = UserFactory()
    consortia = [ConsortiumFactory(), ConsortiumFactory(), ConsortiumFactory()]

    def run(consortium):
        return start_application(round_=round_, consortium=consortium, category=category, by=by).number

    numbers = race(*(partial(run, c) for c in consortia))  # fails the test if any start raises

    assert sorted(numbers) == ["R2-0001", "R2-0002", "R2-0003"]
