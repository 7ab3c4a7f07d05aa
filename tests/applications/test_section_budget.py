from decimal import Decimal

import pytest

from grants.applications.models import BudgetItem
from tests.factories import ApplicationFactory, FundingCategoryFactory, OpenRoundFactory, contact_of
from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    round_ = OpenRoundFactory(grant_start_year=2026, grant_years=2)
    category = FundingCategoryFactory(round=round_, name="$600,000", maximum_award=Decimal("600000.00"))
    return ApplicationFactory(round=round_, category=category)


@pytest.fixture
def client(client, application):
    client.force_login(contact_of(application.consortium))
    return client


def save(client, application, data):
    return post_section(client, application, "budget", data)


def test_requested_amount_is_the_exact_grand_total_of_the_grid(client, application):
    save(
        client,
        application,
        {"amount_1000_2026-27": "0.10", "amount_1000_2027-28": "0.20", "amount_5000_2026-27": "299,999.70"},
    )

    application.refresh_from_db()
    assert application.requested_amount == Decimal("300000.00")
    assert application.requested_amount == application.budget_total()


def test_the_page_shows_row_column_and_grand_totals(client, application):
    save(
        client,
        application,
        {"amount_1000_2026-27": "1000", "amount_1000_2027-28": "2000.50", "amount_2000_2026-27": "500"},
    )

    page = client.get(section_url(application, "budget")).content.decode()

    assert '<output data-row-total="1000" aria-live="off">$3,000.50</output>' in page
    assert '<output data-row-total="2000" aria-live="off">$500.00</output>' in page
    assert '<output data-column-total="2026-27" aria-live="off">$1,500.00</output>' in page
    assert '<output data-column-total="2027-28" aria-live="off">$2,000.50</output>' in page
    assert "$3,500.50</output>" in page
    assert 'data-row="1000" data-column="2026-27"' in page  # what the live totals script reads


def test_a_budget_over_the_category_maximum_is_saved_with_a_warning(client, application):
    response = save(client, application, {"amount_1000_2026-27": "400000", "amount_1000_2027-28": "300000"})

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.requested_amount == Decimal("700000.00")
    page = client.get(response.url).content.decode()
    assert "Warning:" in page
    assert "$700,000.00, more than the $600,000.00 maximum" in page


def test_a_budget_within_the_maximum_has_no_warning(client, application):
    response = save(client, application, {"amount_1000_2026-27": "600000"})

    assert "more than the" not in client.get(response.url).content.decode()


def test_emptying_a_cell_removes_it_from_the_budget(client, application):
    save(client, application, {"amount_1000_2026-27": "1000", "amount_2000_2026-27": "500"})

    save(client, application, {"amount_1000_2026-27": "1000", "amount_2000_2026-27": ""})

    application.refresh_from_db()
    assert list(BudgetItem.objects.values_list("object_code", flat=True)) == ["1000"]
    assert application.requested_amount == Decimal("1000.00")


def test_a_negative_amount_is_refused_next_to_its_cell(client, application):
    response = save(client, application, {"amount_3000_2027-28": "-50"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_amount_3000_2027-28_error"' in page
    assert "Enter an amount of $0 or more." in page
    assert not BudgetItem.objects.exists()


def test_fractions_of_a_cent_are_refused(client, application):
    response = save(client, application, {"amount_1000_2026-27": "10.005"})

    assert response.status_code == 200
    assert "at most two digits after the decimal point" in response.content.decode()
