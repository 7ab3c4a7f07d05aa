"""Money typed into the budget grid: shown back as people write it, read as they write it, and a negative or
unreadable amount gets a plain message and is left out of the running totals (never "-$500.00")."""

import re
from decimal import Decimal

import pytest

from tests.factories import ApplicationFactory, FundingCategoryFactory, OpenRoundFactory, contact_of
from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    round_ = OpenRoundFactory(grant_start_year=2026, grant_years=2)
    return ApplicationFactory(round=round_, category=FundingCategoryFactory(round=round_))


@pytest.fixture
def client(client, application):
    client.force_login(contact_of(application.consortium))
    return client


def test_a_saved_amount_is_shown_back_with_thousands_separators(client, application):
    post_section(client, application, "budget", {"amount_1000_2026-27": "70000"})

    page = client.get(section_url(application, "budget")).content.decode()

    assert 'value="70,000.00"' in page


@pytest.mark.parametrize("typed", ["70,000", "$70,000.00", " $70,000 "])
def test_amounts_are_saved_as_people_write_them(client, application, typed):
    response = post_section(client, application, "budget", {"amount_1000_2026-27": typed})

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.requested_amount == Decimal("70000.00")


@pytest.mark.parametrize("bad", ["-500", "-$500.00", "ten", "12.345"])
def test_an_amount_that_cannot_be_saved_is_left_out_of_every_total(client, application, bad):
    data = {"amount_1000_2026-27": "1,000", "amount_1000_2027-28": bad, "amount_2000_2027-28": "250"}

    page = post_section(client, application, "budget", data).content.decode()

    assert '<output data-row-total="1000" aria-live="off">$1,000.00</output>' in page
    assert '<output data-column-total="2027-28" aria-live="off">$250.00</output>' in page
    assert '<output data-grand-total aria-live="polite">$1,250.00</output>' in page
    totals = re.findall(r"<output [^>]*>([^<]*)</output>", page) + re.findall(
        r"<strong data-grand-total>([^<]*)<", page
    )
    assert totals and not any("-" in total for total in totals)
    assert f'value="{bad.strip()}"' in page  # what was typed is kept, to be corrected
    application.refresh_from_db()
    assert application.requested_amount == Decimal("0.00")  # nothing saved while a cell is wrong


def test_a_negative_amount_gets_a_plain_message_next_to_its_cell(client, application):
    page = post_section(client, application, "budget", {"amount_1000_2026-27": "-500"}).content.decode()

    assert "Enter an amount of $0 or more." in page
    assert "Ensure this value is greater than or equal to" not in page
