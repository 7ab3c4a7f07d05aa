import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Organization
from grants.awards.models import Award
from tests.factories import AwardFactory, OrganizationFactory, ProgramFactory, RoundFactory, UserFactory, award_in

D = Decimal
pytestmark = pytest.mark.django_db


def url(program):
    return reverse("awards:awards-csv", args=[program.pk])


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def round_1_award(round_, *, consortium_name="Capital Region Academies", amount="14900000.00", **award):
    lead = OrganizationFactory(
        name="Sacramento County Office of Education", kind=Organization.Kind.COUNTY_OFFICE, code="34103480000000"
    )
    return award_in(
        round_,
        "R1-A001",
        amount,
        lead=lead,
        counties=("Sacramento", "Yolo"),
        consortium={"name": consortium_name},
        category={"name": "$15 million", "maximum_award": D("15000000.00")},
        number="R1-0007",
        requested_amount=D("15000000.00"),
        **award,
    )


def test_it_exports_one_row_per_award_with_its_money_dates_and_instalments(client, staff_user, round_1):
    award = round_1_award(round_1, status=Award.Status.ACCEPTED)
    first = award.instalments.order_by("fiscal_year").first()
    first.paid_on = date(2014, 9, 15)
    first.save()
    AwardFactory(round=round_1, status=Award.Status.DECLINED)
    client.force_login(staff_user)

    response = client.get(url(round_1.program))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="california-career-pathways-trust-awards.csv"' in response["Content-Disposition"]
    exported = rows(response)
    assert len(exported) == 2  # every award, whatever its status
    row = next(r for r in exported if r["Award number"] == "R1-A001")
    assert row == {
        "Award number": "R1-A001",
        "Application number": "R1-0007",
        "Round": "Round 1 (2014)",
        "Consortium": "Capital Region Academies",
        "Lead agency": "Sacramento County Office of Education",
        "Region": award.consortium.region.name,
        "Lead agency county": "Sacramento",
        "Counties served": "Sacramento; Yolo",
        "Funding category": "$15 million",
        "Amount awarded": "14900000.00",
        "Amount requested": "15000000.00",
        "Status": "Accepted",
        "Award date (Pacific)": "2014-05-30",
        "Grant period starts (fiscal year)": "2014-15",
        "Grant period ends (fiscal year)": "2017-18",
        "Instalments": "2014-15: $3,725,000.00 paid 2014-09-15; 2015-16: $3,725,000.00; "
        "2016-17: $3,725,000.00; 2017-18: $3,725,000.00",
    }
    declined = next(r for r in exported if r["Award number"] != "R1-A001")
    assert declined["Status"] == "Declined"


def test_a_name_that_would_run_as_a_spreadsheet_formula_is_defused(client, staff_user, round_1):
    round_1_award(round_1, consortium_name='=HYPERLINK("http://example.com")')
    client.force_login(staff_user)

    (row,) = rows(client.get(url(round_1.program)))

    assert row["Consortium"] == '\'=HYPERLINK("http://example.com")'


def test_awards_of_another_program_are_not_exported(client, staff_user, round_1):
    round_1_award(round_1)
    AwardFactory(round=RoundFactory(program=ProgramFactory(name="Another program")))
    client.force_login(staff_user)

    assert [r["Award number"] for r in rows(client.get(url(round_1.program)))] == ["R1-A001"]


@pytest.mark.parametrize("role", ["Applicants", "Readers"])
def test_only_staff_may_export(client, round_1, role):
    round_1_award(round_1)
    client.force_login(UserFactory(role=role))

    assert client.get(url(round_1.program)).status_code == 403


def test_its_number_of_queries_does_not_grow_with_the_number_of_awards(client, staff_user, django_assert_num_queries):
    small, large = ProgramFactory(name="Small program"), ProgramFactory(name="Large program")
    for program, count in ((small, 5), (large, 40)):
        round_ = RoundFactory(program=program)
        AwardFactory.create_batch(count, round=round_)
    client.force_login(staff_user)
    rows(client.get(url(small)))

    with CaptureQueriesContext(connection) as few:
        assert len(rows(client.get(url(small)))) == 5
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(url(large)))) == 40
