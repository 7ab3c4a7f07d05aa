"""Starting an application when several rounds are open: the round first, then only its funding categories."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consortia.models import Contact
from grants.applications.models import Application
from tests.factories import ConsortiumFactory, ContactFactory, FundingCategoryFactory, OpenRoundFactory, contact_of

pytestmark = pytest.mark.django_db

START = reverse("applications:application-start")


@pytest.fixture
def rounds():
    """Two open rounds whose funding categories have the same names."""
    first = OpenRoundFactory(code="r2", name="Round 2")
    second = OpenRoundFactory(code="r3", name="Round 3", closes_at=timezone.now() + timedelta(days=90))
    for round_ in (first, second):
        FundingCategoryFactory(round=round_, name="Up to $6 million", maximum_award="6000000.00")
        FundingCategoryFactory(round=round_, name="Up to $15 million", maximum_award="15000000.00")
    return first, second


@pytest.fixture
def consortium(client):
    consortium = ConsortiumFactory()
    client.force_login(contact_of(consortium))
    return consortium


def _category_options(page: str) -> set[int]:
    select = re.search(r'<select name="category".*?</select>', page, re.S)
    assert select, "no funding category list on the page"
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(0))}


def test_with_two_rounds_open_the_round_is_chosen_before_any_category(client, consortium, rounds):
    page = client.get(START).content.decode()

    assert 'name="category"' not in page
    assert len(re.findall(r'type="radio"[^>]*name="round"', page)) == 2
    assert "Round 2" in page and "Round 3" in page
    assert "Continue" in page


def test_a_chosen_round_offers_only_its_own_categories_named_with_the_round(client, consortium, rounds):
    first, second = rounds

    page = client.get(START, {"round": second.pk}).content.decode()

    assert _category_options(page) == set(second.categories.values_list("pk", flat=True))
    assert "Funding category in Round 3" in page
    assert f'<input type="hidden" name="round" value="{second.pk}"' in page
    assert "Choose another round" in page


def test_the_two_steps_start_an_application_in_the_chosen_round(client, consortium, rounds):
    first, second = rounds
    category = second.categories.get(name="Up to $6 million")
    step_two = client.get(START, {"round": second.pk, "consortium": consortium.pk})
    assert step_two.status_code == 200

    response = client.post(START, {"round": second.pk, "category": category.pk, "consortium": consortium.pk})

    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.round, application.category) == (second, category)


def test_a_category_of_the_other_round_is_refused_and_the_form_offers_the_right_ones_again(client, consortium, rounds):
    first, second = rounds
    foreign = first.categories.get(name="Up to $6 million")

    response = client.post(START, {"round": second.pk, "category": foreign.pk, "consortium": consortium.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a funding category of Round 3." in page
    assert _category_options(page) == set(second.categories.values_list("pk", flat=True))
    assert not Application.objects.exists()


def test_a_single_open_round_goes_straight_to_its_categories(client, consortium):
    only = OpenRoundFactory(name="Round 2")
    category = FundingCategoryFactory(round=only)

    page = client.get(START).content.decode()

    assert _category_options(page) == {category.pk}
    assert "Choose another round" not in page


@pytest.mark.parametrize("round_pk", ["closed", "999999", "abc"])
def test_a_round_in_the_link_that_is_not_open_asks_for_an_open_one(client, consortium, rounds, round_pk):
    if round_pk == "closed":
        round_pk = OpenRoundFactory(
            name="Old round", opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=1)
        ).pk

    page = client.get(START, {"round": round_pk}).content.decode()

    assert 'name="category"' not in page
    assert "Choose an open round." in page or "Choose the round you apply in." in page


def test_choosing_no_round_says_so_next_to_the_choice(client, consortium, rounds):
    page = client.get(START, {"round": ""}).content.decode()

    assert "Choose the round you apply in." in page


def test_the_one_consortium_a_lead_applies_for_is_named_on_the_page(client, consortium, rounds):
    page = client.get(START, {"round": rounds[0].pk}).content.decode()

    assert f"The application is for <strong>{consortium.name}</strong>" in page
    assert f'<input type="hidden" name="consortium" value="{consortium.pk}"' in page


def test_a_lead_of_two_consortia_chooses_between_them(client, consortium, rounds):
    other = ConsortiumFactory()
    ContactFactory(consortium=other, user=consortium.contacts.get().user, role=Contact.Role.LEAD)

    page = client.get(START, {"round": rounds[0].pk}).content.decode()

    assert "The application is for" not in page
    assert re.search(r'<select name="consortium"', page)
    assert consortium.name in page and other.name in page
