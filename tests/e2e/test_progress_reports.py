"""After the award, through the browser: two members' data managers enter and upload their values, the lead agency
uploads the rest and submits, staff return the report with a comment on one value, the grantee corrects it and
resubmits, staff accept it; the year's payment is released, approved by an administrator and recorded as paid; and
the outcomes dashboard shows the new year's values.

Only the starting point is arranged in the database: CRANE's active award in a round decided this year, and a
second data manager (at CRANE's community college) who can sign in. Everything after is clicked, typed and uploaded.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consortia.models import Contact, Organization
from grants.awards.models import Award
from grants.programs.models import Round
from grants.reporting.models import DataManager, ProgressReport, ReportValue

from ..factories import PASSWORD, ApplicationFactory, AwardFactory, RoundFactory, UserFactory

CRANE = "Capital Region Academies for the Next Economy (CRANE)"


def _award(demo):
    crane = next(c for c in demo["consortia"] if c.name == CRANE)
    year = timezone.localdate().year if timezone.localdate().month >= 7 else timezone.localdate().year - 1
    round_ = RoundFactory(
        program=demo["program"], name="Round 3 (2026)", code="r3", status=Round.Status.DECIDED, grant_start_year=year
    )
    application = ApplicationFactory(round=round_, consortium=crane, status="submitted", number="R3-0001")
    award = AwardFactory(
        round=round_,
        application=application,
        consortium=crane,
        number="R3-A001",
        amount=Decimal("3000000.00"),
        status=Award.Status.ACCEPTED,
    )
    Award.objects.filter(pk=award.pk).update(status=Award.Status.ACTIVE)
    college = Organization.objects.filter(
        memberships__consortium=crane, kind=Organization.Kind.COMMUNITY_COLLEGE
    ).first()
    manager = UserFactory(email="college.data@example.org", first_name="Casey", last_name="College", role="Applicants")
    Contact.objects.create(consortium=crane, user=manager, role=Contact.Role.PARTNER)
    DataManager.objects.create(
        consortium=crane, organization=college, user=manager, named_by=demo["users"]["applicant@example.org"]
    )
    district = DataManager.objects.get(user__email="data@example.org").organization
    return award, district, college


def _filled_template(page, fill) -> str:
    """The report's CSV template as the page gives it, with `fill(row)` writing each row's values (a spreadsheet)."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report's template (CSV)").click()
    with open(download.value.path()) as template:
        rows = list(csv.DictReader(template))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        fill(row)
        writer.writerow(row)
    return out.getvalue()


def _fill_all(row):
    if row["value"] or row["numerator"]:
        return
    if row["indicator"] in ("cte-c-or-better", "graduation-rate"):
        row["numerator"], row["denominator"] = "80", "100"
    else:
        row["value"] = "12"


def _upload(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()


def _open_report(page):
    page.get_by_role("link", name=re.compile(r"Annual report \d{4}-\d{2}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Annual report \d{4}-\d{2}"))


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_from_data_managers_to_accepted_then_a_payment_paid(
    page, live_server, demo, demo_awards, login, assert_accessible, tmp_path
):
    award, district, college = _award(demo)
    report = ProgressReport.objects.filter(award=award).order_by("due_at").first()
    assert report is None  # made ready when someone first opens the award's reports (or by the daily job)

    # The district's data manager finds the report on the dashboard (the award page's link makes it ready).
    login(page, live_server, "data@example.org", demo["password"])
    page.goto(f"{live_server.url}/awards/{award.pk}/reports/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Progress reports to file")).to_be_visible()
    _open_report(page)
    expect(page.get_by_role("heading", name="Your organization's values")).to_be_visible()
    expect(page.get_by_text(college.name)).to_have_count(0)  # another member's values are not shown
    page.get_by_label(f"Students in pathways, {district.name}", exact=True).fill("-40")
    page.get_by_role("button", name="Save draft").click()
    expect(
        page.get_by_text("Students in pathways for " + district.name + " cannot be negative (-40).").first
    ).to_be_visible()
    expect(page.get_by_label(f"Students in pathways, {district.name}", exact=True)).to_have_value("-40")  # kept
    assert_accessible(page)
    page.get_by_label(f"Students in pathways, {district.name}", exact=True).fill("420")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved: 1 values saved")).to_be_visible()
    _upload(page, tmp_path, "district.csv", _filled_template(page, _fill_all))
    expect(page.get_by_text(re.compile(r"Uploaded district\.csv: \d+ values saved"))).to_be_visible()
    page.context.clear_cookies()

    # The college's data manager uploads a file with a bad row first: nothing saved, the row named.
    login(page, live_server, "college.data@example.org", PASSWORD)
    _open_report(page)

    def bad_rate(row):
        _fill_all(row)
        if row["indicator"] == "dual-enrollment":
            row["value"] = "-3"

    _upload(page, tmp_path, "college.csv", _filled_template(page, bad_rate))
    expect(page.get_by_text("Nothing from college.csv was saved")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Row \d+: Dual-enrollment students for .* cannot be negative \(-3\)"))
    ).to_be_visible()
    assert not ReportValue.objects.filter(report__award=award, organization=college).exists()
    _upload(page, tmp_path, "college.csv", _filled_template(page, _fill_all))
    expect(page.get_by_text(re.compile(r"Uploaded college\.csv: \d+ values saved"))).to_be_visible()
    page.context.clear_cookies()

    # The lead agency uploads the other members' values, answers in words and submits.
    login(page, live_server, "applicant@example.org", demo["password"])
    _open_report(page)
    expect(page.get_by_role("heading", name="Each member's values")).to_be_visible()
    _upload(page, tmp_path, "crane.csv", _filled_template(page, _fill_all))
    expect(page.get_by_text(re.compile(r"Uploaded crane\.csv: \d+ values saved"))).to_be_visible()
    page.get_by_label("Progress this period").fill("Two new health pathways opened; dual enrollment doubled.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Every member's values are in.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text(re.compile(r"Submitted Annual report .* \(version 1\)"))).to_be_visible()
    page.context.clear_cookies()

    # Program staff find it waiting for review and return it with a comment on the district's count.
    login(page, live_server, "staff@example.org", demo["password"])
    page.get_by_role("link", name="Progress reports").first.click()
    page.get_by_role("link", name=re.compile(r"Annual report")).first.click()
    assert_accessible(page)
    page.get_by_label("Item 1", exact=True).select_option(label=f"Students in pathways, {district.name}")
    page.get_by_label("Comment on item 1").fill("420 is more than the district enrolls: check CALPADS.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_text(f"Returned {page.get_by_role('heading', level=1).inner_text()}")).to_be_visible()
    page.context.clear_cookies()

    # The lead agency sees the comment beside the value, corrects it and submits again.
    login(page, live_server, "applicant@example.org", demo["password"])
    _open_report(page)
    expect(page.get_by_text("420 is more than the district enrolls: check CALPADS.").first).to_be_visible()
    page.get_by_label(f"Students in pathways, {district.name}", exact=True).fill("240")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text(re.compile(r"\(version 2\)"))).to_be_visible()
    page.context.clear_cookies()

    # Staff accept it; both versions are kept and shown.
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/reports/?show=submitted")
    page.get_by_role("link", name=re.compile(r"Annual report")).first.click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text(re.compile(r"Accepted Annual report \d{4}-\d{2}\."))).to_be_visible()
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    report = ProgressReport.objects.get(award=award, period=award.fiscal_years[0])
    assert report.status == "accepted"
    assert (
        ReportValue.objects.get(report=report, organization=district, indicator__code="students-in-pathways").value
        == 240
    )

    # The first year's payment: staff release it; above $1,000,000 it needs an administrator's approval.
    page.goto(f"{live_server.url}/awards/{award.pk}/payments/")
    assert_accessible(page)
    page.get_by_role("link", name=f"{award.fiscal_years[0]} payment").click()
    page.get_by_role("button", name="Release the payment").click()
    expect(page.get_by_text("By Sam Staff on", exact=False).first).to_be_visible()  # released, by whom and when
    payment_url = page.url
    page.context.clear_cookies()

    login(page, live_server, "admin@example.org", demo["password"])
    page.goto(payment_url)
    page.get_by_role("button", name="Approve the payment").click()
    page.wait_for_load_state()
    if page.get_by_role("heading", level=1).inner_text() == "Confirm it’s you":  # unless just signed in
        page.get_by_label("Your password").fill(demo["password"])
        page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("By Avery Administrator on").first).to_be_visible()  # the second approval
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(payment_url)
    page.get_by_label("Warrant or reference number").fill("W-2026-0815")
    page.get_by_label("Paid on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record as paid").click()
    expect(page.get_by_text("W-2026-0815").first).to_be_visible()
    assert award.payments.get(fiscal_year=award.fiscal_years[0]).status == "paid"

    # The outcomes dashboard shows the new year: the district's corrected count among the totals.
    page.goto(
        f"{live_server.url}/programs/{demo['program'].pk}/outcomes/?indicator=students-in-pathways&year={award.fiscal_years[0]}"
    )
    expect(page.get_by_role("columnheader", name=award.fiscal_years[0])).to_be_visible()
    expect(page.get_by_role("figure", name=f"By region, {award.fiscal_years[0]}")).to_be_visible()
    assert_accessible(page)
