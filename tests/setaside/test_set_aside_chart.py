"""The ledger draws the balance over time, a step down at each draw, and reads it in as many queries for many
draws as for one."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.setaside.services import draw_set_aside
from tests.factories import ConsortiumFactory, ProgramFactory

D = Decimal
pytestmark = pytest.mark.django_db


def ledger(client, program):
    return client.get(reverse("setaside:ledger", args=[program.pk]))


def test_the_balance_chart_steps_down_at_each_draw_from_the_reserve(client, staff_user):
    program = ProgramFactory()  # a $5,000,000.00 reserve
    for amount in ("1000000", "1500000"):
        draw_set_aside(program=program, kind="planning_grant", amount=D(amount), by=staff_user,
                       consortium=ConsortiumFactory())  # fmt: skip
    client.force_login(staff_user)

    response = ledger(client, program)

    chart = response.context["chart"]
    # From the reserve at the top (y=16) to $4,000,000 and $2,500,000: 80% and 50% of the height (16 to 204).
    assert chart.path == "M130.0 16.0 H293.3 V53.6 H456.7 V110.0 H620"  # the reserve, then each draw, a third each
    assert [tick.label for tick in chart.ticks] == ["$0", "$2,500,000", "$5,000,000"]
    page = response.content.decode()
    assert 'aria-labelledby="balance-chart-title"' in page and "The balance over time: line chart" in page
    assert page.count("<circle") == 2  # a dot at each draw, so no reading depends on colour
    assert 'href="#draws-table"' in page and 'id="draws-table"' in page  # the chart's text alternative


def test_a_ledger_without_draws_has_no_chart(client, staff_user):
    program = ProgramFactory()
    client.force_login(staff_user)

    response = ledger(client, program)

    assert response.context["chart"] is None
    assert 'role="img"' not in response.content.decode()
    assert "No draws yet." in response.content.decode()


def test_the_ledger_makes_as_many_queries_for_twelve_draws_as_for_one(client, staff_user, django_assert_num_queries):
    one, twelve = ProgramFactory(name="One draw"), ProgramFactory(name="Twelve draws")
    for program, count in ((one, 1), (twelve, 12)):
        for _ in range(count):
            draw_set_aside(program=program, kind="planning_grant", amount=D("1000"), by=staff_user,
                           consortium=ConsortiumFactory())  # fmt: skip
    client.force_login(staff_user)
    ledger(client, one)  # the session and user are loaded the same way each time

    with CaptureQueriesContext(connection) as few:
        assert ledger(client, one).status_code == 200
    with django_assert_num_queries(len(few.captured_queries)):
        response = ledger(client, twelve)
    assert len(response.context["entries"]) == 12
