"""Recording a draw is done once per click: the same form posted twice records one draw and says so."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.once import AlreadyDone, new_token
from grants.setaside.models import SetAsideEntry
from grants.setaside.services import draw_set_aside
from tests.factories import ConsortiumFactory, ProgramFactory, UserFactory
from tests.helpers import race


@pytest.fixture
def program(db):
    """$500M appropriated; the 1% set-aside is $5,000,000.00."""
    return ProgramFactory()


def open_form(client, program, consortium) -> dict:
    page = client.get(reverse("setaside:ledger", args=[program.pk])).content.decode()
    token = re.search(r'name="click" value="([0-9a-f]{32})"', page).group(1)
    return {"kind": "planning_grant", "consortium": consortium.pk, "amount": "$150,000.00", "click": token}


def test_a_draw_posted_twice_is_recorded_once_and_the_second_post_says_so(client, staff_user, program):
    consortium = ConsortiumFactory(name="Linked Learning North")
    client.force_login(staff_user)
    form = open_form(client, program, consortium)
    url = reverse("setaside:ledger", args=[program.pk])

    first = client.post(url, form, follow=True)
    second = client.post(url, form, follow=True)

    assert "Recorded: planning grant of $150,000.00 to Linked Learning North." in first.content.decode()
    assert SetAsideEntry.objects.count() == 1
    page = second.content.decode()
    assert "This draw was already recorded on " in page
    assert "planning grant of $150,000.00. The same form was sent twice; the draw was recorded once." in page
    assert "$4,850,000.00" in page  # the balance, drawn once


def test_the_same_amount_drawn_again_from_a_new_form_is_a_second_draw(client, staff_user, program):
    consortium = ConsortiumFactory()
    client.force_login(staff_user)
    url = reverse("setaside:ledger", args=[program.pk])

    client.post(url, open_form(client, program, consortium))
    client.post(url, open_form(client, program, consortium))

    assert SetAsideEntry.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_click_arriving_twice_at_once_draws_once():
    program = ProgramFactory()
    staff = UserFactory(role="Program staff")
    consortium = ConsortiumFactory()
    click = new_token()

    def post():
        try:
            draw_set_aside(
                program=program,
                kind="planning_grant",
                amount=Decimal("1000"),
                by=staff,
                consortium=consortium,
                click=click,
            )
            return "drawn"
        except AlreadyDone:
            return "already"

    assert sorted(race(post, post)) == ["already", "drawn"]
    assert SetAsideEntry.objects.count() == 1
