"""A round's reporting plan: which of the program's indicators its grantees report, and each fiscal year's report
due on a day after the year ends, in Pacific time."""

from datetime import datetime

import pytest
from django.urls import reverse

from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal
from grants.reporting.models import Indicator, ReportingPlan
from grants.reporting.services.indicators import add_standard_indicators
from grants.reporting.services.plans import annual_due, plan_of, save_plan, schedule
from grants.reporting.standard import STANDARD
from tests.factories import OpenRoundFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    round_ = OpenRoundFactory(grant_start_year=2026, grant_years=3)
    add_standard_indicators(program=round_.program)
    return round_


def _codes(round_, codes):
    return list(Indicator.objects.filter(program=round_.program, code__in=codes).values_list("pk", flat=True))


def test_each_fiscal_years_report_is_due_after_it_ends_in_pacific_time():
    plan = ReportingPlan()  # September 30, 5 PM

    assert [(r.period, r.due_at) for r in schedule(plan, ["2026-27", "2027-28"])] == [
        ("2026-27", datetime(2027, 9, 30, 17, tzinfo=PACIFIC)),
        ("2027-28", datetime(2028, 9, 30, 17, tzinfo=PACIFIC)),
    ]
    assert schedule(plan, ["2026-27"])[0].due_at.utcoffset().total_seconds() == -7 * 3600  # daylight time


def test_a_due_month_in_the_first_half_falls_in_the_next_calendar_year_and_february_29_fits_every_year():
    assert annual_due(ReportingPlan(due_month=1, due_day=15, due_hour=9), "2026-27") == datetime(
        2028, 1, 15, 9, tzinfo=PACIFIC
    )
    assert annual_due(ReportingPlan(due_month=2, due_day=29), "2026-27").date().isoformat() == "2028-02-29"
    assert annual_due(ReportingPlan(due_month=2, due_day=29), "2027-28").date().isoformat() == "2029-02-28"


def test_until_a_plan_is_saved_the_round_reports_every_indicator_by_september_30(round_):
    plan, chosen = plan_of(round_)

    assert plan.pk is None and (plan.due_month, plan.due_day, plan.due_hour) == (9, 30, 17)
    assert len(chosen) == len(STANDARD)


def test_saving_a_plan_keeps_the_chosen_indicators_and_the_due_day(round_, admin_user):
    chosen = _codes(round_, ["graduates", "dual-enrollment"])

    save_plan(round_=round_, indicator_ids=chosen, due_month=10, due_day=15, due_hour=12, by=admin_user)

    plan, ids = plan_of(round_)
    assert ids == set(chosen) and (plan.due_month, plan.due_day, plan.updated_by) == (10, 15, admin_user)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"indicator_ids": []}, "indicators", "Choose at least one indicator"),
        ({"due_month": 4, "due_day": 31}, "due_day", "April has no day 31."),
        ({"due_month": 2, "due_day": 30}, "due_day", "February has no day 30."),
    ],
)
def test_a_plan_that_cannot_work_is_refused_with_what_to_fix(round_, admin_user, change, field, message):
    values = {"indicator_ids": _codes(round_, ["graduates"]), "due_month": 9, "due_day": 30, "due_hour": 17}

    with pytest.raises(Refusal) as refused:
        save_plan(round_=round_, by=admin_user, **{**values, **change})

    assert message in refused.value.errors[field]
    assert not ReportingPlan.objects.exists()


def test_another_programs_indicator_is_refused(round_, admin_user):
    other = ProgramFactory(name="Another program")
    add_standard_indicators(program=other)
    foreign = Indicator.objects.filter(program=other).values_list("pk", flat=True)[:1]

    with pytest.raises(Refusal, match="Choose among the program's indicators."):
        save_plan(round_=round_, indicator_ids=list(foreign), due_month=9, due_day=30, due_hour=17, by=admin_user)


@pytest.mark.parametrize(
    ("role", "reads", "changes"),
    [("Administrators", 200, 302), ("Program staff", 200, 403), ("Readers", 403, 403), ("Applicants", 403, 403)],
)
def test_who_reads_and_who_changes_the_plan(client, round_, role, reads, changes):
    client.force_login(UserFactory(role=role))
    url = reverse("reporting:plan", args=[round_.pk])
    data = {"indicators": _codes(round_, ["graduates"]), "due_month": 9, "due_day": 30, "due_hour": 17}

    assert client.get(url).status_code == reads
    assert client.post(url, data).status_code == changes
    assert ReportingPlan.objects.exists() == (changes == 302)


def test_the_page_shows_the_due_dates_and_keeps_a_bad_day_with_its_message(client, round_, admin_user):
    client.force_login(admin_user)
    url = reverse("reporting:plan", args=[round_.pk])

    page = client.get(url).content.decode()
    refused = client.post(
        url, {"indicators": _codes(round_, ["graduates"]), "due_month": 4, "due_day": 31, "due_hour": 17}
    )

    assert "September 30, 2027, 5:00 PM PDT" in page and "September 30, 2029, 5:00 PM PDT" in page
    assert refused.status_code == 200
    assert "April has no day 31." in refused.content.decode()


def test_staff_ask_for_another_report_and_it_joins_the_reports_due_in_order(client, round_, staff_user):
    client.force_login(staff_user)
    url = reverse("reporting:extra-report", args=[round_.pk])

    response = client.post(
        url, {"title": "Mid-year progress on dual enrollment", "due_at": "2028-02-15T12:00"}, follow=True
    )

    html = response.content.decode()
    assert "Added “Mid-year progress on dual enrollment” to the reports due." in html
    report = round_.extra_reports.get()
    assert (report.due_at, report.requested_by) == (datetime(2028, 2, 15, 12, tzinfo=PACIFIC), staff_user)
    table = html[html.index('id="due-heading"') :]
    order = [table.index(text) for text in ("2026-27", "Mid-year progress on dual enrollment", "2027-28")]
    assert order == sorted(order)  # due September 30, 2027; February 15, 2028; September 30, 2028


def test_a_report_due_in_the_past_is_refused_keeping_what_was_typed(client, round_, staff_user):
    client.force_login(staff_user)
    url = reverse("reporting:extra-report", args=[round_.pk])

    response = client.post(url, {"title": "Late questions", "due_at": "2020-01-01T09:00"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The due time has passed: choose a later one." in html and 'value="Late questions"' in html
    assert not round_.extra_reports.exists()


def test_readers_cannot_ask_for_reports(client, round_):
    client.force_login(UserFactory(role="Readers"))

    response = client.post(
        reverse("reporting:extra-report", args=[round_.pk]), {"title": "x", "due_at": "2030-01-01T09:00"}
    )

    assert response.status_code == 403 and not round_.extra_reports.exists()


def test_the_same_form_posted_twice_asks_for_the_report_once(client, round_, staff_user):
    client.force_login(staff_user)
    form = client.get(reverse("reporting:plan", args=[round_.pk])).context["extra_form"]
    data = {"title": "Mid-year counts", "due_at": "2028-02-15T12:00", "click": form["click"].value()}
    url = reverse("reporting:extra-report", args=[round_.pk])

    client.post(url, data)
    again = client.post(url, data, follow=True).content.decode()

    assert round_.extra_reports.count() == 1
    assert "“Mid-year counts” was already added; the same form was sent twice." in again
