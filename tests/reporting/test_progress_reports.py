"""Progress reports: the lead agency and data managers enter or upload each member's values; bad values are named
and what was typed is kept; the lead agency submits; staff return with comments or accept; every version is kept."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from grants.awards.models import Award
from grants.reporting.models import IndicatorVersion, ProgressReport, ReportValue
from grants.reporting.services import data_managers, files, reports, review, values
from grants.reporting.services.indicators import revise_indicator
from grants.reporting.services.values import Entry
from tests.factories import AwardFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ProgressReport.Status


def fill(report, by, organizations=None):
    """Every member's value of each indicator it reports: 10 for counts and amounts, 3 of 4 for rates."""
    entries = []
    for organization in organizations or data_managers.member_organizations(report.award.consortium):
        for version in reports.report_versions(report):
            if reports.reports_it(version, organization):
                rate = version.unit == IndicatorVersion.Unit.RATE
                entries.append(
                    Entry(
                        str(organization.pk),
                        version.indicator.code,
                        value="" if rate else "10",
                        numerator="3" if rate else "",
                        denominator="4" if rate else "",
                    )
                )
    everyone = {o.pk for o in data_managers.member_organizations(report.award.consortium)}
    outcome = values.enter_values(report=report, entries=entries, by=by, allowed=everyone)
    assert not outcome.problems
    report.progress = "Pathways opened at two high schools."
    report.save()


def value_of(report, organization, code, breakdown=""):
    return ReportValue.objects.get(report=report, organization=organization, indicator__code=code, breakdown=breakdown)


# ---- Which reports are owed ---------------------------------------------------------------------------------------


def test_an_accepted_award_owes_an_annual_report_each_fiscal_year_due_september_30_pacific(grantee):
    owed = reports.open_reports(grantee.award)

    assert [(r.period, r.title) for r in owed] == [
        ("2026-27", "Annual report 2026-27"),
        ("2027-28", "Annual report 2027-28"),
    ]
    # 5 p.m. on September 30, 2027 in California is midnight UTC on October 1.
    assert owed[0].due_at == datetime(2027, 10, 1, 0, 0, tzinfo=UTC)
    assert reports.open_reports(grantee.award) == owed  # again: nothing added
    assert ProgressReport.objects.count() == 2


def test_an_offered_award_owes_no_report_yet():
    assert reports.open_reports(AwardFactory(status=Award.Status.OFFERED)) == []


def test_a_report_staff_ask_for_is_owed_by_every_reporting_award_of_the_round(grantee, staff_user):
    from grants.reporting.services.plans import ask_for_report

    extra = ask_for_report(
        round_=grantee.award.round,
        title="Mid-year dual enrollment",
        due_at=datetime(2030, 1, 15, tzinfo=UTC),
        by=staff_user,
    )

    owed = reports.open_reports(grantee.award)
    assert [r.title for r in owed if r.extra_id == extra.pk] == ["Mid-year dual enrollment"]


# ---- Entering values in the page -----------------------------------------------------------------------------------


def test_the_lead_agency_saves_a_draft_with_some_values_and_reads_the_totals(client, grantee):
    report = grantee.report()
    version = reports.report_versions(report)
    pathways = next(v for v in version if v.indicator.code == "students-in-pathways")
    client.force_login(grantee.lead)

    response = client.post(
        reverse("reporting:report", args=[report.pk]),
        {
            f"v-{grantee.district.pk}-{pathways.indicator_id}": "1,200",
            f"v-{grantee.college.pk}-{pathways.indicator_id}": "300",
        },
        follow=True,
    )

    assert "Draft saved: 2 values saved" in response.content.decode()
    assert value_of(report, grantee.district, "students-in-pathways").value == Decimal("1200")
    assert value_of(report, grantee.district, "students-in-pathways").version == pathways
    assert values.totals(report)[pathways.indicator_id].value == Decimal("1500")
    assert ProgressReport.objects.get(pk=report.pk).status == S.DRAFT


def test_bad_values_are_named_and_what_was_typed_stays_on_the_page(client, grantee):
    report = grantee.report()
    versions = {v.indicator.code: v for v in reports.report_versions(report)}
    pathways, c_rate = versions["students-in-pathways"], versions["cte-c-or-better"]
    d = grantee.district.pk
    client.force_login(grantee.lead)

    response = client.post(
        reverse("reporting:report", args=[report.pk]),
        {
            f"v-{d}-{pathways.indicator_id}": "-5",
            f"n-{d}-{c_rate.indicator_id}": "90",
            f"d-{d}-{c_rate.indicator_id}": "60",
            f"v-{grantee.college.pk}-{pathways.indicator_id}": "300",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Students in pathways for Alder Unified cannot be negative (-5)" in html
    assert "the numerator (90) is more than the denominator (60)" in html
    assert 'value="-5"' in html and 'value="90"' in html and 'value="60"' in html  # kept as typed
    assert value_of(report, grantee.college, "students-in-pathways").value == 300  # the good one saved
    assert not ReportValue.objects.filter(report=report, organization=grantee.district).exists()


@pytest.mark.parametrize(
    ("unit_code", "typed", "message"),
    [
        ("students-in-pathways", {"value": "12.5"}, "is a count of whole numbers, not 12.5"),
        ("students-in-pathways", {"value": "many"}, "“many” is not a number"),
        (
            "cte-c-or-better",
            {"value": "120", "numerator": "1", "denominator": "2"},
            "a rate is between 0 and 100, not 120",
        ),
        ("cte-c-or-better", {"numerator": "5"}, "a rate is reported as its numerator and its denominator"),
        ("cte-c-or-better", {"numerator": "0", "denominator": "0"}, "the denominator must be more than 0"),
        ("students-in-pathways", {"value": "5", "numerator": "1"}, "only a rate has a numerator and a denominator"),
    ],
)
def test_each_kind_of_bad_value_has_its_message(grantee, unit_code, typed, message):
    report = grantee.report()
    entry = Entry(str(grantee.district.pk), unit_code, **typed)

    outcome = values.enter_values(report=report, entries=[entry], by=grantee.lead, allowed={grantee.district.pk})

    assert message in outcome.messages[0]
    assert not ReportValue.objects.exists()


def test_the_database_refuses_a_numerator_over_its_denominator_even_past_the_service(grantee):
    from django.db import IntegrityError, transaction

    report = grantee.report()
    version = next(v for v in reports.report_versions(report) if v.unit == "rate")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportValue.objects.create(
            report=report,
            organization=grantee.district,
            indicator=version.indicator,
            version=version,
            numerator=5,
            denominator=4,
            entered_by=grantee.lead,
        )


def test_a_member_reports_only_the_indicators_of_its_kind(grantee):
    report = grantee.report()
    entry = Entry(str(grantee.business.pk), "cte-concentrators", value="4")

    outcome = values.enter_values(report=report, entries=[entry], by=grantee.lead, allowed={grantee.business.pk})

    assert "Cedar Works does not report “CTE concentrators”" in outcome.messages[0]


# ---- Data managers --------------------------------------------------------------------------------------------------


def test_a_data_manager_sees_and_enters_only_their_organization_and_the_totals(client, grantee):
    report = grantee.report()
    fill(report, grantee.lead)
    client.force_login(grantee.college_manager)

    html = client.get(reverse("reporting:report", args=[report.pk])).content.decode()

    assert "Birch College" in html and "Consortium totals" in html
    assert "Alder Unified" not in html and "Cedar Works" not in html
    assert "Submit the report" not in html


def test_a_data_manager_cannot_enter_another_members_values_even_by_crafting_the_form(client, grantee):
    report = grantee.report()
    pathways = next(v for v in reports.report_versions(report) if v.indicator.code == "students-in-pathways")
    client.force_login(grantee.college_manager)

    client.post(
        reverse("reporting:report", args=[report.pk]),
        {
            f"v-{grantee.district.pk}-{pathways.indicator_id}": "999",
            f"v-{grantee.college.pk}-{pathways.indicator_id}": "80",
        },
    )

    assert not ReportValue.objects.filter(organization=grantee.district).exists()
    assert value_of(report, grantee.college, "students-in-pathways").value == 80


def test_a_data_manager_cannot_submit(client, grantee):
    report = grantee.report()
    fill(report, grantee.lead)
    client.force_login(grantee.district_manager)

    assert client.post(reverse("reporting:report-submit", args=[report.pk])).status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).status == S.DRAFT


# ---- CSV -------------------------------------------------------------------------------------------------------------


def _upload(client, report, text, name="values.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("reporting:report-upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
        follow=True,
    )


def test_the_template_has_a_row_per_member_and_indicator_it_reports(client, grantee):
    report = grantee.report()
    client.force_login(grantee.district_manager)

    response = client.get(reverse("reporting:report-template", args=[report.pk]))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == ",".join(values.CSV_HEADER)
    assert all(f"{grantee.district.pk},Alder Unified," in line for line in lines[1:])
    assert any(",students-in-pathways,1,," in line for line in lines[1:])
    assert not any(",business-partners-active," in line and "Cedar" in line for line in lines)


def test_a_good_file_saves_every_row_with_its_breakdowns(client, grantee):
    report = grantee.report()
    d, c = grantee.district.pk, grantee.college.pk
    client.force_login(grantee.lead)

    response = _upload(
        client,
        report,
        "organization_id,organization,indicator,version,breakdown,value,numerator,denominator\n"
        f"{d},Alder Unified,students-in-pathways,1,,400,,\n"
        f"{d},Alder Unified,students-in-pathways,1,grade_level:11,150,,\n"
        f"{d},Alder Unified,cte-c-or-better,1,,,45,50\n"
        f"{c},Birch College,dual-enrollment,1,,75,,\n",
    )

    assert "Uploaded values.csv: 4 values saved" in response.content.decode()
    assert value_of(report, grantee.district, "students-in-pathways", "grade_level:11").value == 150
    assert (
        value_of(report, grantee.district, "cte-c-or-better").numerator,
        value_of(report, grantee.district, "cte-c-or-better").denominator,
    ) == (45, 50)
    assert "Grade 11: 150" in response.content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{d},Alder,graduates-typo,1,,4,,", "Row 3: “graduates-typo” is not an indicator of this report"),
        ("999999,Nowhere,students-in-pathways,1,,4,,", "Row 3: organization 999999 is not a member of"),
        (
            "{d},Alder,cte-c-or-better,1,,140,7,5",
            "Row 3: CTE courses passed with C or better for Alder Unified: a rate is between 0 and 100, not 140",
        ),
        ("{d},Alder,cte-c-or-better,1,,,7,5", "the numerator (7) is more than the denominator (5)"),
        (
            "{d},Alder,dual-enrollment,1,,-3,,",
            "Row 3: Dual-enrollment students for Alder Unified cannot be negative (-3)",
        ),
        (
            "{d},Alder,students-in-pathways,1,grade_level:13,4,,",
            "Row 3: “grade_level:13” is not a breakdown of “Students in pathways”",
        ),
        (
            "{d},Alder,dual-enrollment,7,,4,,",
            "this row is for version 7 of “dual-enrollment”, which is now at version 1",
        ),
        ("{d},Alder,students-in-pathways,1,,40,,", "appears twice"),
    ],
)
def test_a_file_with_a_bad_row_saves_nothing_and_names_the_row(client, grantee, row, message):
    report = grantee.report()
    d = grantee.district.pk
    client.force_login(grantee.lead)

    response = _upload(
        client,
        report,
        "organization_id,organization,indicator,version,breakdown,value,numerator,denominator\n"
        f"{d},Alder Unified,students-in-pathways,1,,400,,\n" + row.format(d=d) + "\n",
    )

    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422
    assert "Nothing from values.csv was saved" in html
    assert message in html
    assert not ReportValue.objects.exists()


def test_a_file_that_is_not_the_template_is_refused_plainly(client, grantee):
    client.force_login(grantee.lead)

    response = _upload(client, grantee.report(), "name,amount\nx,1\n")

    assert response.status_code == 422
    assert "The file has no organization_id, indicator, value column" in response.content.decode()


def test_a_data_managers_file_with_another_members_row_saves_nothing(client, grantee):
    report = grantee.report()
    client.force_login(grantee.college_manager)

    response = _upload(
        client,
        report,
        "organization_id,indicator,value\n"
        f"{grantee.college.pk},dual-enrollment,75\n{grantee.district.pk},dual-enrollment,10\n",
    )

    assert "Row 3: you enter values for your own organization only, not Alder Unified" in response.content.decode()
    assert not ReportValue.objects.exists()


# ---- Submitting, returning, accepting --------------------------------------------------------------------------------


def test_a_report_missing_values_is_not_submitted_and_says_what_is_missing(client, grantee):
    report = grantee.report()
    client.force_login(grantee.lead)

    response = client.post(reverse("reporting:report-submit", args=[report.pk]))

    html = response.content.decode()
    assert response.status_code == 422
    assert "Give every member&#x27;s value of each indicator it reports" in html
    assert "Cedar Works: " in html and "Describe the consortium" in html
    assert ProgressReport.objects.get(pk=report.pk).status == S.DRAFT


def test_submitted_returned_corrected_resubmitted_accepted_with_every_version_kept(client, grantee, staff_user):
    report = grantee.report()
    fill(report, grantee.lead)
    client.force_login(grantee.lead)
    assert client.post(reverse("reporting:report-submit", args=[report.pk])).status_code == 302
    pathways = next(v for v in reports.report_versions(report) if v.indicator.code == "students-in-pathways")

    # Submitted: nothing changes until staff return it.
    response = client.post(
        reverse("reporting:report", args=[report.pk]),
        {f"v-{grantee.district.pk}-{pathways.indicator_id}": "11"},
        follow=True,
    )
    assert "its values can no longer be changed" in response.content.decode() or response.status_code == 403
    assert value_of(report, grantee.district, "students-in-pathways").value == 10

    client.force_login(staff_user)
    item = f"value:{grantee.district.pk}:students-in-pathways"
    client.post(
        reverse("reporting:report-review", args=[report.pk]),
        {
            "decision": "return",
            "item-1": item,
            "item-comment-1": "Counted twice: check CALPADS.",
            "comment": "One fix.",
        },
    )
    report.refresh_from_db()
    assert report.status == S.RETURNED

    client.force_login(grantee.lead)
    html = client.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert "Counted twice: check CALPADS." in html and "One fix." in html
    client.post(
        reverse("reporting:report", args=[report.pk]),
        {f"v-{grantee.district.pk}-{pathways.indicator_id}": "7", "progress": "Corrected."},
    )
    client.post(reverse("reporting:report-submit", args=[report.pk]))

    client.force_login(staff_user)
    client.post(reverse("reporting:report-review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == S.ACCEPTED
    first, second = report.versions.order_by("number")
    assert (first.outcome, second.outcome) == ("returned", "accepted")

    def row(version):
        return next(
            r
            for r in version.values
            if r["organization_id"] == grantee.district.pk and r["code"] == "students-in-pathways"
        )

    assert (row(first)["value"], row(second)["value"]) == ("10.00", "7.00")
    assert first.comments.get().text == "Counted twice: check CALPADS."
    html = client.get(reverse("reporting:report-version", args=[report.pk, 1])).content.decode()
    assert "Returned for changes" in html and "Counted twice" in html
    summaries = list(Event.objects.filter(action=Event.Action.STATUS_CHANGE).values_list("summary", flat=True))
    assert "Progress report: Draft → submitted (Annual report 2026-27, version 1)" in summaries
    assert (
        "Progress report: Submitted → returned for changes (Annual report 2026-27, version 1: 1 item comment; One fix.)"
        in summaries
    )
    assert "Progress report: Returned for changes → submitted (Annual report 2026-27, version 2)" in summaries
    assert "Progress report: Submitted → accepted (Annual report 2026-27, version 2)" in summaries


def test_returning_needs_a_comment(client, grantee, staff_user):
    report = grantee.report()
    fill(report, grantee.lead)
    review.submit(report=report, by=grantee.lead)
    client.force_login(staff_user)

    response = client.post(reverse("reporting:report-review", args=[report.pk]), {"decision": "return"})

    assert "Say what must change" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_a_report_keeps_the_definition_it_was_filed_under(grantee, admin_user):
    report = grantee.report()
    fill(report, grantee.lead)
    review.submit(report=report, by=grantee.lead)
    pathways = value_of(report, grantee.district, "students-in-pathways")

    revise_indicator(
        indicator=pathways.indicator,
        by=admin_user,
        name="Students in pathways (new)",
        definition="Now counted at census day.",
        unit="count",
        reporters=["k12", "college"],
        breakdowns=[],
    )

    assert value_of(report, grantee.district, "students-in-pathways").version.number == 1
    assert report.versions.get().values[0]["version"] == 1
    later = grantee.report("2027-28")
    assert next(v for v in reports.report_versions(later) if v.indicator_id == pathways.indicator_id).number == 2


def test_a_late_submission_is_marked_late(grantee):
    report = grantee.report()
    ProgressReport.objects.filter(pk=report.pk).update(due_at=datetime(2020, 1, 1, tzinfo=UTC))
    report.refresh_from_db()
    fill(report, grantee.lead)

    review.submit(report=report, by=grantee.lead)

    assert reports.is_late(report)
    assert Event.objects.filter(summary__endswith="(Annual report 2026-27, version 1, late)").exists()


def test_totals_of_a_rate_come_from_numerators_and_denominators_never_an_average(grantee):
    report = grantee.report()
    allowed = {grantee.district.pk, grantee.county_office.pk}
    values.enter_values(
        report=report,
        entries=[
            Entry(str(grantee.district.pk), "cte-c-or-better", numerator="1", denominator="2"),  # 50%
            Entry(str(grantee.county_office.pk), "cte-c-or-better", numerator="90", denominator="100"),  # 90%
        ],
        by=grantee.lead,
        allowed=allowed,
    )
    rate = next(v for v in reports.report_versions(report) if v.indicator.code == "cte-c-or-better")

    total = values.totals(report)[rate.indicator_id]

    assert (total.numerator, total.denominator, total.rate) == (91, 102, Decimal("89.2"))  # not (50 + 90) / 2


# ---- Who sees what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "view", "values", "enter", "submit", "review"),
    [
        ("lead", 200, True, True, True, False),
        ("partner", 200, False, False, False, False),
        ("staff", 200, True, False, False, False),
        ("administrator", 200, True, False, False, False),
        ("reader", 403, False, False, False, False),
        ("other lead", 403, False, False, False, False),
    ],
)
def test_who_sees_and_does_what_with_a_report(client, grantee, who, view, values, enter, submit, review):
    from consortia.models import Contact
    from tests.factories import ConsortiumFactory, contact_of

    report = grantee.report()
    fill(report, grantee.lead)
    people = {
        "lead": grantee.lead,
        "partner": contact_of(grantee.consortium, role=Contact.Role.PARTNER),
        "staff": UserFactory(role="Program staff"),
        "administrator": UserFactory(role="Administrators"),
        "reader": UserFactory(role="Readers"),
        "other lead": contact_of(ConsortiumFactory()),
    }
    user = people[who]
    client.force_login(user)

    response = client.get(reverse("reporting:report", args=[report.pk]))

    assert response.status_code == view
    assert (view == 200 and "Alder Unified" in response.content.decode()) == values
    assert user.has_perm("reporting.enter_values", report) == enter
    assert user.has_perm("reporting.submit_report", report) == submit
    assert user.has_perm("reporting.review_report", report) == review
    assert (client.get(reverse("reporting:award-reports", args=[grantee.award.pk])).status_code == 200) == (view == 200)


def test_staff_review_only_submitted_reports_and_never_enter_values(grantee, staff_user):
    report = grantee.report()
    fill(report, grantee.lead)
    assert not staff_user.has_perm("reporting.review_report", report)
    review.submit(report=report, by=grantee.lead)
    report.refresh_from_db()
    assert staff_user.has_perm("reporting.review_report", report)
    assert not staff_user.has_perm("reporting.enter_values", report)


def test_staff_see_overdue_reports_at_a_glance(client, grantee, staff_user):
    late, later = reports.open_reports(grantee.award)
    ProgressReport.objects.filter(pk=late.pk).update(due_at=datetime(2020, 1, 1, tzinfo=UTC))
    client.force_login(staff_user)

    html = client.get(reverse("reporting:reports") + "?show=overdue").content.decode()

    assert late.title in html and later.title not in html
    assert '<span class="badge text-bg-danger">1</span> overdue' in html


def test_the_report_page_reads_a_fixed_number_of_queries_whatever_the_members(
    client, grantee, django_assert_max_num_queries
):
    report = grantee.report()
    fill(report, grantee.lead)
    client.force_login(grantee.lead)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("reporting:report", args=[report.pk]))
    from tests.factories import MembershipFactory

    for _ in range(5):
        MembershipFactory(consortium=grantee.consortium)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reporting:report", args=[report.pk]))


def test_accepting_an_award_makes_its_reports_ready_and_the_dashboard_lists_them(client):
    from grants.awards.services.awards import respond
    from tests.factories import contact_of

    award = AwardFactory(status=Award.Status.OFFERED)
    lead = contact_of(award.consortium)

    respond(award=award, by=lead, accept=True)

    assert list(ProgressReport.objects.filter(award=award).values_list("period", flat=True)) == ["2026-27", "2027-28"]
    client.force_login(lead)
    html = client.get("/").content.decode()
    assert "Progress reports to file" in html
    assert f"Annual report 2026-27</a> of {award.consortium}" in html


# ---- Files ----------------------------------------------------------------------------------------------------------


def test_the_lead_agency_attaches_a_file_which_each_version_lists_by_name_and_checksum(
    client, grantee, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import SMALL_PDF, sha256_of

    settings.MEDIA_ROOT = tmp_path
    report = grantee.report()
    fill(report, grantee.lead)
    client.force_login(grantee.lead)

    response = client.post(
        reverse("reporting:report-attach", args=[report.pk]),
        {"attachment": SimpleUploadedFile("evaluation.pdf", SMALL_PDF, content_type="application/pdf")},
        follow=True,
    )

    assert "Attached evaluation.pdf." in response.content.decode()
    attachment = report.attachments.get()
    download = client.get(reverse("reporting:report-file", args=[report.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == SMALL_PDF
    review.submit(report=report, by=grantee.lead)
    assert report.versions.get().narrative["attachments"] == [
        {"name": "evaluation.pdf", "size": len(SMALL_PDF), "sha256": sha256_of(SMALL_PDF)}
    ]
    # Submitted: the file stays; only staff's return opens the report again.
    client.post(reverse("reporting:report-detach", args=[report.pk, attachment.pk]))
    assert report.attachments.count() == 1


def test_a_file_that_is_not_what_its_name_says_is_refused(client, grantee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(grantee.lead)
    report = grantee.report()

    response = client.post(
        reverse("reporting:report-attach", args=[report.pk]),
        {"attachment": SimpleUploadedFile("data.pdf", b"name,count\nx,1\n", content_type="application/pdf")},
    )

    assert response.status_code == 422
    assert "“data.pdf” is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file." in response.content.decode()
    assert not report.attachments.exists()


def test_a_data_manager_and_other_consortia_cannot_attach_or_read_files(client, grantee, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import SMALL_PDF, ConsortiumFactory, contact_of

    settings.MEDIA_ROOT = tmp_path
    report = grantee.report()
    attachment = files.attach_file(
        report=report,
        upload=SimpleUploadedFile("minutes.pdf", SMALL_PDF, content_type="application/pdf"),
        by=grantee.lead,
    )
    client.force_login(grantee.district_manager)
    assert (
        client.post(
            reverse("reporting:report-attach", args=[report.pk]),
            {"attachment": SimpleUploadedFile("x.pdf", SMALL_PDF, content_type="application/pdf")},
        ).status_code
        == 403
    )
    client.force_login(contact_of(ConsortiumFactory()))
    assert client.get(reverse("reporting:report-file", args=[report.pk, attachment.pk])).status_code == 403


def test_the_page_lists_the_breakdown_codes_the_csv_takes(client, grantee):
    client.force_login(grantee.lead)

    html = client.get(reverse("reporting:report", args=[grantee.report().pk])).content.decode()

    assert "<code>grade_level:11</code> Grade 11" in html
    assert "<code>wbl_kind:preparation</code> Career preparation" in html


def test_staff_find_reports_by_round_and_by_consortium_or_award(client, grantee, staff_user):
    from tests.factories.reporting import reporting_grantee

    other = reporting_grantee()  # another round
    reports.open_reports(grantee.award)
    reports.open_reports(other.award)
    client.force_login(staff_user)
    url = reverse("reporting:reports")

    by_round = client.get(url, {"show": "all", "round": grantee.award.round_id}).context["page"].object_list
    by_name = client.get(url, {"show": "all", "q": other.consortium.name.upper()}).context["page"].object_list
    by_number = client.get(url, {"show": "all", "q": other.award.number}).context["page"].object_list

    assert {r.award_id for r in by_round} == {grantee.award.pk}
    assert {r.award_id for r in by_name} == {other.award.pk}
    assert {r.award_id for r in by_number} == {other.award.pk}
