"""The list pages of rounds and programs: what each person sees, Pacific times, and constant query counts."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ccpt.lib.dates import PACIFIC
from grants.programs.models import Program, Round

from ..factories import ProgramFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _rounds(count, **kwargs):
    start = datetime(2014, 1, 21, 9, tzinfo=PACIFIC)
    for n in range(count):
        opens = start + timedelta(days=n)
        RoundFactory(
            opens_at=opens,
            closes_at=opens + timedelta(days=60),
            loi_deadline=opens + timedelta(days=20),
            funds_available=Decimal("1000000"),
            status=Round.Status.OPEN if n % 2 else Round.Status.DRAFT,
            **kwargs,
        )


@pytest.mark.parametrize("role", ["staff_user", "applicant_user"])
def test_the_round_list_makes_the_same_number_of_queries_for_10_and_30_rounds(client, request, role):
    client.force_login(request.getfixturevalue(role))
    _rounds(10)
    ten = _queries(client, reverse("programs:rounds"))
    _rounds(20)
    thirty = _queries(client, reverse("programs:rounds"))
    assert ten == thirty


def test_the_program_list_makes_the_same_number_of_queries_for_10_and_30_programs(client, staff_user):
    client.force_login(staff_user)

    def programs(first, last):
        for n in range(first, last):
            program = ProgramFactory(name=f"Program {n}")
            RoundFactory(program=program, funds_available=Decimal("1000"))

    programs(0, 10)
    ten = _queries(client, reverse("programs:programs"))
    programs(10, 30)
    thirty = _queries(client, reverse("programs:programs"))
    assert ten == thirty


def test_the_program_detail_makes_the_same_number_of_queries_for_10_and_30_rounds(client, staff_user):
    client.force_login(staff_user)
    program = ProgramFactory()
    _rounds(10, program=program)
    ten = _queries(client, reverse("programs:program", args=[program.pk]))
    _rounds(20, program=program)
    assert _queries(client, reverse("programs:program", args=[program.pk])) == ten


def test_the_round_list_shows_status_and_dates_in_pacific_time(client, applicant_user):
    RoundFactory(
        name="Round 1 (2014)",
        status=Round.Status.DECIDED,
        loi_deadline=datetime(2014, 2, 14, 17, tzinfo=PACIFIC),
        opens_at=datetime(2014, 1, 21, 9, tzinfo=PACIFIC),
        closes_at=datetime(2014, 3, 29, 0, 0, tzinfo=ZoneInfo("UTC")),
    )
    client.force_login(applicant_user)
    html = client.get(reverse("programs:rounds")).content.decode()
    assert "Round 1 (2014)" in html
    assert "Decided" in html
    assert "February 14, 2014, 5:00 PM PST" in html
    assert "January 21, 2014, 9:00 AM PST" in html
    assert "March 28, 2014, 5:00 PM PDT" in html


def test_the_round_list_filters_by_status(client, staff_user):
    RoundFactory(name="The open one", status=Round.Status.OPEN)
    RoundFactory(name="The draft one")
    client.force_login(staff_user)
    html = client.get(reverse("programs:rounds"), {"status": "open"}).content.decode()
    assert "The open one" in html
    assert "The draft one" not in html
    assert "The draft one" in client.get(reverse("programs:rounds"), {"status": "nonsense"}).content.decode()


def test_the_program_list_shows_appropriations_and_allocations(client, applicant_user):
    RoundFactory(funds_available=Decimal("249750000.00"))
    client.force_login(applicant_user)
    html = client.get(reverse("programs:programs")).content.decode()
    assert Program.objects.get().name in html
    assert "$500,000,000.00" in html
    assert "$249,750,000.00" in html
    assert "New program" not in html
