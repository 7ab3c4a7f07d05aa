"""The outcomes dashboard: totals and rates computed from the members' values of accepted annual reports, by year,
region and sector, each chart with its table and its CSV; reports on time and late; money awarded and paid; the
long-form export; program staff only; a fixed number of queries whatever the number of awards."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from consortia.models import Region
from grants.awards.models import Award
from grants.payments.models import Payment
from grants.reporting.services import data_managers, reports, review, values
from grants.reporting.services.values import Entry
from tests.factories import ConsortiumFactory, UserFactory
from tests.factories.reporting import reporting_grantee

pytestmark = pytest.mark.django_db


def accepted(grantee, *, pathways=(100, 50), rate=((1, 2), (90, 100)), period=None, staff=None, submitted_at=None):
    """The grantee's report accepted: students in pathways at the district and the college; the C-or-better rate at
    the district and the county office (the lead agency)."""
    report = grantee.report(period)
    members = data_managers.member_organizations(grantee.consortium)
    entries = []
    for organization in members:
        for version in reports.report_versions(report):
            if reports.reports_it(version, organization):
                r = version.unit == "rate"
                entries.append(
                    Entry(
                        str(organization.pk),
                        version.indicator.code,
                        value="" if r else "0",
                        numerator="0" if r else "",
                        denominator="1" if r else "",
                    )
                )
    entries += [
        Entry(str(grantee.district.pk), "students-in-pathways", value=str(pathways[0])),
        Entry(str(grantee.college.pk), "students-in-pathways", value=str(pathways[1])),
        Entry(str(grantee.district.pk), "cte-c-or-better", numerator=str(rate[0][0]), denominator=str(rate[0][1])),
        Entry(str(grantee.county_office.pk), "cte-c-or-better", numerator=str(rate[1][0]), denominator=str(rate[1][1])),
    ]
    # The last entry of a key wins: drop the zeros given above for the keys set after.
    latest = {e.key: e for e in entries}
    outcome = values.enter_values(
        report=report, entries=list(latest.values()), by=grantee.lead, allowed={m.pk for m in members}
    )
    assert not outcome.problems
    report.progress = "Done."
    report.save()
    review.submit(report=report, by=grantee.lead, now=submitted_at)
    review.accept_report(report=report, by=staff or UserFactory(role="Program staff"))
    return report


def paid_first_instalment(grantee, staff, warrant: str) -> Payment:
    """The award started and its first instalment paid on August 15, 2026 under `warrant`."""
    Award.objects.filter(pk=grantee.award.pk).update(status=Award.Status.ACTIVE)
    first = grantee.award.instalments.order_by("fiscal_year").first()
    return Payment.objects.create(
        award=grantee.award,
        instalment=first,
        fiscal_year=first.fiscal_year,
        amount=first.amount,
        status="paid",
        released_by=staff,
        released_at=datetime(2026, 8, 1, tzinfo=UTC),
        paid_on=date(2026, 8, 15),
        reference=warrant,
    )


@pytest.fixture
def staff(client):
    user = UserFactory(role="Program staff")
    client.force_login(user)
    return user


def _dashboard(client, program, **params):
    return client.get(reverse("outcomes:dashboard", args=[program.pk]), params)


def test_totals_add_members_and_rates_come_from_numerators_and_denominators(client, staff):
    grantee = reporting_grantee()
    accepted(grantee)

    response = _dashboard(client, grantee.award.round.program, indicator="cte-c-or-better")

    html = response.content.decode()
    found = response.context["found"]
    pathways = next(o for o in found.indicators if o.version.indicator.code == "students-in-pathways")
    rate = next(o for o in found.indicators if o.version.indicator.code == "cte-c-or-better")
    assert pathways.by_year["2026-27"].figure == 150
    # (1 + 90) / (2 + 100): never the average of 50% and 90%.
    assert (rate.by_year["2026-27"].numerator, rate.by_year["2026-27"].denominator) == (91, 102)
    assert rate.by_year["2026-27"].figure == Decimal("89.2")
    assert "89.2%" in html
    assert response.context["segment_chart"].bars[0].label == "K-12"


def test_only_accepted_reports_count(client, staff):
    grantee = reporting_grantee()
    report = grantee.report()
    values.enter_values(
        report=report,
        entries=[Entry(str(grantee.district.pk), "students-in-pathways", value="999")],
        by=grantee.lead,
        allowed={grantee.district.pk},
    )

    response = _dashboard(client, grantee.award.round.program)

    assert response.context["found"].indicators == []
    assert "No annual report has been accepted yet" in response.content.decode()


def test_by_region_and_segment_within_a_year(client, staff):
    north = reporting_grantee(consortium=ConsortiumFactory(region=Region.objects.create(name="North Coast")))
    south_round = north.award.round
    south = reporting_grantee(
        round=south_round, consortium=ConsortiumFactory(region=Region.objects.create(name="South"))
    )
    accepted(north, pathways=(100, 50))
    accepted(south, pathways=(10, 5))

    response = _dashboard(client, south_round.program, indicator="students-in-pathways", year="2026-27")

    regions = {bar.label: bar.value for bar in response.context["region_chart"].bars}
    segments = {bar.label: bar.value for bar in response.context["segment_chart"].bars}
    assert regions == {"North Coast": 150, "South": 15}
    assert segments["K-12"] == 110 and segments["Community colleges"] == 55


def test_each_chart_has_its_csv(client, staff):
    grantee = reporting_grantee()
    accepted(grantee)
    program = grantee.award.round.program

    def csv(**params):
        response = _dashboard(client, program, **params)
        return b"".join(response.streaming_content).decode().splitlines()

    assert "students-in-pathways,Students in pathways,count,2026-27,150,,,3" in csv(csv="summary")
    assert csv(csv="by_year", indicator="cte-c-or-better")[1] == "cte-c-or-better,2026-27,89.2,91,102,2"
    assert csv(csv="by_segment", indicator="students-in-pathways", year="2026-27")[1:3] == [
        "students-in-pathways,2026-27,K-12,100,,,2",
        "students-in-pathways,2026-27,Community colleges,50,,,1",
    ]
    assert csv(csv="timeliness")[1] == "2026-27,1,0,0,0"
    assert csv(csv="money")[0] == "fiscal_year,awarded,paid"


def test_reports_on_time_and_late(client, staff):
    grantee = reporting_grantee()
    first = grantee.report()
    accepted(grantee, submitted_at=first.due_at + timedelta(days=3))  # late
    accepted(grantee, period="2027-28", submitted_at=first.due_at)  # the second year's, long before its due time

    rows = {t.year: (t.on_time, t.late) for t in _dashboard(client, grantee.award.round.program).context["timeliness"]}

    assert rows == {"2026-27": (0, 1), "2027-28": (1, 0)}


def test_money_awarded_and_paid_by_fiscal_year(client, staff):
    grantee = reporting_grantee()
    paid_first_instalment(grantee, staff, "W-1")

    money = _dashboard(client, grantee.award.round.program).context["money"]

    assert [(m.year, m.awarded, m.paid) for m in money] == [
        ("2026-27", Decimal("200000.00"), Decimal("200000.00")),
        ("2027-28", Decimal("200000.00"), Decimal("0.00")),
    ]


def test_the_page_reads_the_same_number_of_queries_for_one_award_or_four(client, staff, django_assert_num_queries):
    first = reporting_grantee()
    accepted(first)
    program = first.award.round.program
    _dashboard(client, program)  # the session and the person, read once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert _dashboard(client, program).status_code == 200
    for _ in range(3):
        accepted(reporting_grantee(round=first.award.round))
    with django_assert_num_queries(len(one.captured_queries)):
        response = _dashboard(client, program)
    assert response.context["found"].awards == 4
    assert len(one.captured_queries) <= 12


def test_the_long_form_export_as_csv_and_json(client, staff):
    grantee = reporting_grantee()
    report = accepted(grantee)
    program = grantee.award.round.program

    lines = (
        b"".join(client.get(reverse("outcomes:values-csv", args=[program.pk])).streaming_content).decode().splitlines()
    )
    data = json.loads(b"".join(client.get(reverse("outcomes:values-json", args=[program.pk])).streaming_content))

    header = "award,consortium,organization_id,organization,indicator,version,period,breakdown,value,numerator,"
    assert lines[0] == header + "denominator,report_status"
    award, consortium, district = grantee.award.number, grantee.consortium.name, grantee.district.pk
    assert f"{award},{consortium},{district},Alder Unified,students-in-pathways,1,2026-27,,100.00,,,accepted" in lines
    assert len(lines) - 1 == len(data) == report.values.count()
    row = next(r for r in data if r["indicator"] == "cte-c-or-better" and r["organization"] == "Alder Unified")
    assert (row["numerator"], row["denominator"], row["value"], row["version"]) == (1, 2, None, 1)


@pytest.mark.parametrize("role", ["Applicants", "Readers"])
def test_only_program_staff_see_the_outcomes(client, role):
    grantee = reporting_grantee()
    client.force_login(grantee.lead if role == "Applicants" else UserFactory(role=role))
    program = grantee.award.round.program

    assert _dashboard(client, program).status_code == 403
    assert client.get(reverse("outcomes:values-csv", args=[program.pk])).status_code == 403
    assert client.get(reverse("outcomes:values-json", args=[program.pk])).status_code == 403


def test_the_360giving_export_says_what_each_grant_was_paid(client, staff):
    grantee = reporting_grantee()
    payment = paid_first_instalment(grantee, staff, "W-0042")
    unpaid = reporting_grantee(round=grantee.award.round)

    response = client.get(reverse("outcomes:awards-360giving", args=[grantee.award.round.program.pk]))

    grants = {
        g["id"].rsplit("-", 2)[-2] + "-" + g["id"].rsplit("-", 1)[-1]: g for g in json.loads(response.content)["grants"]
    }
    paid = grants[grantee.award.number]
    assert paid["amountDisbursed"] == 200000
    assert paid["disbursements"] == [
        {
            "id": f"{paid['id']}-PAY-{payment.pk}",
            "amount": 200000,
            "date": "2026-08-15",
            "fiscalYear": "2026-27",
            "reference": "W-0042",
        }
    ]
    assert grants[unpaid.award.number]["amountDisbursed"] == 0


def test_by_the_industry_sector_of_each_awards_pathways(client, staff):
    from tests.factories import ProgramOfStudyFactory

    health = reporting_grantee()
    ProgramOfStudyFactory(application=health.award.application, sector="health")
    mixed = reporting_grantee(round=health.award.round)
    ProgramOfStudyFactory(application=mixed.award.application, sector="health")
    ProgramOfStudyFactory(application=mixed.award.application, sector="ict")
    accepted(health, pathways=(100, 50))
    accepted(mixed, pathways=(7, 3))

    response = _dashboard(client, health.award.round.program, indicator="students-in-pathways", year="2026-27")

    bars = {bar.label: bar.value for bar in response.context["industry_chart"].bars}
    assert bars == {"Health Science and Medical Technology": 150, "Several sectors": 10}


def test_accepting_a_report_writes_its_totals_by_segment(staff):
    from grants.reporting.models import ReportTotal

    grantee = reporting_grantee()
    report = accepted(grantee, pathways=(100, 50))

    totals = {
        t.segment: (t.value, t.members)
        for t in ReportTotal.objects.filter(report=report, indicator__code="students-in-pathways")
    }
    assert totals == {"k12": (Decimal("100.00"), 2), "college": (Decimal("50.00"), 1)}
