import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Organization, Region
from grants.awards.models import Award
from grants.awards.services import threesixtygiving
from grants.programs.models import Program
from tests.factories import AwardFactory, OrganizationFactory, ProgramFactory, RoundFactory, UserFactory, award_in

D = Decimal
pytestmark = pytest.mark.django_db


def url(program):
    return reverse("outcomes:awards-360giving", args=[program.pk])


def download(client, program) -> tuple[str, dict]:
    response = client.get(url(program))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    text = response.content.decode()
    return text, json.loads(text, parse_float=Decimal)


def test_the_export_meets_the_360giving_schema(client, staff_user, round_1):
    lead = OrganizationFactory(
        name="Sacramento County Office of Education", kind=Organization.Kind.COUNTY_OFFICE, cds_code="34103480000000"
    )
    award_in(round_1, "R1-A001", "14900000.00", lead=lead, counties=["Sacramento", "Yolo"], title="Capital Pathways")
    award_in(round_1, "R1-A002", "527123.45", requested_amount=D("600000.00"))
    client.force_login(staff_user)

    text, data = download(client, round_1.program)

    assert threesixtygiving.problems(data) == []
    grants = {g["id"]: g for g in data["grants"]}
    assert set(grants) == {"360G-CDE-CCPT-R1-A001", "360G-CDE-CCPT-R1-A002"}
    first = grants["360G-CDE-CCPT-R1-A001"]
    assert first["title"] == "Capital Pathways"
    assert first["currency"] == "USD"
    assert first["awardDate"] == "2014-05-30"  # the date in California
    assert first["recipientOrganization"] == [
        {"id": "360G-CDE-CCPT-CDS-34103480000000", "name": "Sacramento County Office of Education"}
    ]
    assert first["fundingOrganization"] == [
        {"id": "360G-CDE-CCPT-FUNDER", "name": "California Department of Education"}
    ]
    assert first["grantProgramme"] == [{"code": "R1", "title": "California Career Pathways Trust: Round 1 (2014)"}]
    assert first["plannedDates"] == [{"startDate": "2014-07-01", "endDate": "2018-06-30", "duration": 48}]
    assert first["beneficiaryLocation"] == [
        {"name": "Sacramento County, California", "countryCode": "US"},
        {"name": "Yolo County, California", "countryCode": "US"},
    ]
    assert "Round 1 (2014)" in first["description"]


def test_amounts_are_exact_json_numbers(client, staff_user, round_1):
    award_in(round_1, "R1-A001", "14900000.00")
    award_in(round_1, "R1-A002", "527123.45", requested_amount=D("600000.00"))
    client.force_login(staff_user)

    text, data = download(client, round_1.program)

    amounts = {g["id"]: (g["amountAwarded"], g["amountAppliedFor"]) for g in data["grants"]}
    assert amounts["360G-CDE-CCPT-R1-A001"] == (D("14900000.0"), D("14900000.0"))
    assert amounts["360G-CDE-CCPT-R1-A002"] == (D("527123.45"), D("600000.0"))
    assert '"amountAwarded": 14900000.0,' in text
    assert '"amountAwarded": 527123.45,' in text


def test_a_recipient_without_an_official_code_gets_an_identifier_under_our_prefix(client, staff_user, round_1):
    college = OrganizationFactory(kind=Organization.Kind.COMMUNITY_COLLEGE, code="021")  # a code of no register
    award_in(round_1, "R1-A003", "600000.00", lead=college)
    client.force_login(staff_user)

    (grant,) = download(client, round_1.program)[1]["grants"]

    assert grant["recipientOrganization"] == [{"id": f"360G-CDE-CCPT-ORG-{college.pk}", "name": college.name}]
    assert grant["beneficiaryLocation"] == [
        {"name": f"{Region.objects.order_by('position').first().name}, California", "countryCode": "US"}
    ]


def test_only_awards_whose_money_counts_are_published(client, staff_user, round_1):
    award_in(round_1, "R1-A001", "100.00", status=Award.Status.ACTIVE)
    for number, status in (("R1-A002", "declined"), ("R1-A003", "withdrawn"), ("R1-A004", "recovered")):
        award_in(round_1, number, "100.00", status=status)
    client.force_login(staff_user)

    assert [g["id"] for g in download(client, round_1.program)[1]["grants"]] == ["360G-CDE-CCPT-R1-A001"]


def test_a_prefix_that_breaks_the_standard_publishes_nothing_and_says_why(client, staff_user, round_1):
    Program.objects.filter(pk=round_1.program_id).update(threesixtygiving_prefix="CDE")  # past the form's check
    award_in(round_1, "R1-A001", "100.00")
    client.force_login(staff_user)

    response = client.get(url(round_1.program))

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The 360Giving export was not produced" in page
    assert "grants/0/id: &#x27;CDE-R1-A001&#x27; does not match &#x27;^360G-&#x27;" in page


def _valid_grant() -> dict:
    return {
        "id": "360G-CDE-CCPT-R1-A001",
        "title": "Capital Pathways",
        "description": "A grant.",
        "currency": "USD",
        "amountAwarded": 14900000.0,
        "awardDate": "2014-05-30",
        "recipientOrganization": [{"id": "360G-CDE-CCPT-CDS-34103480000000", "name": "Sacramento COE"}],
        "fundingOrganization": [{"id": "360G-CDE-CCPT-FUNDER", "name": "California Department of Education"}],
    }


def test_the_schema_accepts_a_minimal_grant():
    assert threesixtygiving.problems({"grants": [_valid_grant()]}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"amountAwarded": None}, "grants/0: 'amountAwarded' is a required property"),
        ({"currency": 840.0}, "grants/0/currency: 840.0 is not of type 'string'"),
        ({"amountAwarded": "14900000.00"}, "grants/0/amountAwarded: '14900000.00' is not of type 'number'"),
        ({"id": "CDE-R1-A001"}, "grants/0/id: 'CDE-R1-A001' does not match '^360G-'"),
        ({"awardDate": "30/05/2014"}, "grants/0/awardDate: '30/05/2014' does not match"),
        ({"recipientOrganization": [{"name": "No id"}]}, "grants/0/recipientOrganization/0: 'id' is a required"),
        ({"fundingOrganization": None}, "grants/0: 'fundingOrganization' is a required property"),
    ],
)
def test_the_schema_refuses_a_broken_grant(change, expected):
    grant = _valid_grant()
    for key, value in change.items():
        if value is None:
            del grant[key]
        else:
            grant[key] = value

    problems = threesixtygiving.problems({"grants": [grant]})

    assert len(problems) == 1
    assert problems[0].startswith(expected)


def test_an_amount_a_float_cannot_carry_exactly_is_refused():
    assert threesixtygiving.json_number(D("999999999999.99")) == 999999999999.99
    with pytest.raises(ValueError, match="cannot be written as an exact JSON number"):
        threesixtygiving.json_number(D("12345678901234567.89"))


@pytest.mark.parametrize("role", ["Applicants", "Readers"])
def test_only_staff_may_export(client, round_1, role):
    award_in(round_1, "R1-A001", "100.00")
    client.force_login(UserFactory(role=role))

    assert client.get(url(round_1.program)).status_code == 403


def test_its_number_of_queries_does_not_grow_with_the_number_of_awards(client, staff_user, django_assert_num_queries):
    small, large = ProgramFactory(name="Small program"), ProgramFactory(name="Large program")
    for program, count in ((small, 5), (large, 40)):
        AwardFactory.create_batch(count, round=RoundFactory(program=program))
    client.force_login(staff_user)
    client.get(url(small))

    with CaptureQueriesContext(connection) as few:
        assert len(download(client, small)[1]["grants"]) == 5
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(download(client, large)[1]["grants"]) == 40
