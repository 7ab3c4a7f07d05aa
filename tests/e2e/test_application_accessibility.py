"""Every page of the applicant's journey passes axe-core (WCAG 2.1 A/AA) and labels every field,
as it first appears, with validation errors shown, and once the application is submitted."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from consortia.models import Organization
from grants.applications.models import (
    Application,
    BudgetItem,
    CommittedResource,
    NarrativeResponse,
    PartnerCommitment,
    ProgramOfStudy,
)
from tests.factories import AttachmentFactory

from .conftest import CRANE

Section = Application.Section

PROBLEMS = "Saved as a draft with problems"


def assert_fields_labelled(page, at_least=1):
    """Every field a person can fill in has an accessible name (a label, not only a placeholder)."""
    fields = page.get_by_role("main").locator("input:not([type=hidden]), select, textarea")
    assert fields.count() >= at_least, f"expected at least {at_least} fields on {page.url}"
    for field in fields.all():
        expect(field).to_have_accessible_name(re.compile(r"\w"))
        placeholder = field.get_attribute("placeholder")
        if placeholder:
            expect(field).not_to_have_accessible_name(placeholder)


def assert_refused_by_the_browser(page, field, url):
    """A required field left empty: the browser keeps the page and says why (the form is not sent)."""
    expect(page).to_have_url(url)
    assert field.evaluate("element => element.validationMessage")
    expect(field).to_be_focused()


def assert_page_passes(page, assert_accessible, *, fields=0):
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)
    if fields:
        assert_fields_labelled(page, at_least=fields)


@pytest.fixture(autouse=True)
def _patient_expect():
    """Assertions wait as long as actions do (10 s): the machine may be busy with other test runs."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def complete(application: Application, by) -> Application:
    """Fill every section so that every check passes (a $1,000,000 request, $250,000 committed)."""
    round_ = application.round
    years = round_.fiscal_years
    Application.objects.filter(pk=application.pk).update(
        title="Capital Region Health Pathways",
        summary="Pathways from grade 9 into allied health programs at Los Rios.",
        target_group="Students in grades 9-14 at Elk Grove and Sacramento City high schools.",
        grades_served="9-14",
        students_served=1200,
        need_statement="One in five students leaves high school unprepared for college or work.",
        labor_market="Regional hospitals report hundreds of unfilled allied health positions.",
        budget_narratives={year: f"Coordinators and lab equipment in {year}." for year in years},
        requested_amount=Decimal("1000000.00"),
    )
    ProgramOfStudy.objects.create(
        application=application,
        name="Allied Health",
        sector="health",
        k12_sequence="Health Science 1\nMedical Terminology",
        postsecondary_sequence="AH 110 Allied Health",
        work_based_learning="Paid hospital internships in grade 12.",
        students_by_year=dict.fromkeys(years, 300),
    )
    partner = PartnerCommitment.objects.create(
        application=application,
        organization=Organization.objects.get(name="Capital Valley Health Partners"),
        role="business",
        responsibilities="Hosts student and teacher internships.",
    )
    CommittedResource.objects.create(
        commitment=partner, fiscal_year=years[0], kind="cash", amount=Decimal("250000.00"), description="Wages"
    )
    BudgetItem.objects.bulk_create(
        BudgetItem(application=application, fiscal_year=year, object_code="1000", amount=Decimal("250000.00"))
        for year in years
    )
    for criterion in round_.criteria.all():
        NarrativeResponse.objects.create(application=application, criterion=criterion, text=f"On {criterion.name}.")
    for required in round_.required_attachments.all():
        AttachmentFactory(application=application, required_attachment=required, uploaded_by=by)
    application.refresh_from_db()
    return application


def open_section(page, live_server, application, section):
    page.goto(f"{live_server.url}/applications/{application.pk}/sections/{section}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(Section(section).label)


def save(page, section):
    page.get_by_role("button", name=f"Save {Section(section).label.lower()}").click()


# Where each section refuses what was typed: the field, the typing, the message next to it. Sections of
# free text only cannot be refused for their content; for those, another tab's save makes a conflict instead.


def students_field(page, years):
    return page.get_by_label("Number of students served")


def program_students_field(page, years):
    return page.get_by_role("group", name="New program of study").get_by_label(f"Students to be served in {years[0]}")


def partner_cash_field(page, years):
    return page.get_by_role("group", name="New partner").get_by_label(f"Cash amount, {years[0]}")


def budget_cell(page, years):
    return page.get_by_label(f"4000 Books and supplies, {years[1]}")


REFUSED_INPUT = {
    Section.TARGET_GROUP: (students_field, "about 400", "Enter a whole number of students, such as 1200."),
    Section.PROGRAMS: (program_students_field, "lots", "Enter a whole number of students."),
    Section.PARTNERS: (partner_cash_field, "ten thousand", "Enter an amount in dollars, such as 12500 or 12,500.00."),
    Section.BUDGET: (budget_cell, "12,5OO", "Enter an amount in dollars, such as 12500 or 12,500.00."),
}
TEXT_ONLY = {Section.SUMMARY: "Project title", Section.NEED: "Statement of need"}


@pytest.mark.django_db(transaction=True)
def test_my_applications_and_the_start_page_pass_axe_with_and_without_errors(
    applicant, live_server, demo, assert_accessible
):
    page = applicant
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My applications").click()
    expect(page.get_by_text("Your consortia have no applications yet.")).to_be_visible()
    assert_page_passes(page, assert_accessible)

    page.get_by_role("link", name=f"Start an application for {CRANE}").click()
    assert_page_passes(page, assert_accessible, fields=2)

    start_url = page.url
    page.get_by_role("button", name="Start the application").click()  # no funding category chosen
    category = page.get_by_label("Funding category")
    assert_refused_by_the_browser(page, category, start_url)

    category.select_option(label="$600,000 (up to $600,000.00)")
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^R2-0001"))

    page.go_back()  # the start page again, as the browser's back button shows it: starting twice is refused
    page.get_by_label("Funding category").select_option(label="$600,000 (up to $600,000.00)")
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_text(f"{CRANE} already has application R2-0001")).to_be_visible()
    assert_page_passes(page, assert_accessible, fields=2)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My applications").click()
    expect(page.get_by_role("table", name="Applications of your consortia")).to_contain_text("R2-0001")
    assert_page_passes(page, assert_accessible)


@pytest.mark.django_db(transaction=True)
def test_the_overview_passes_axe_while_sections_are_missing_or_have_problems(
    applicant, live_server, draft, assert_accessible
):
    page = applicant
    page.goto(f"{live_server.url}/applications/{draft.pk}/")
    expect(page.get_by_role("button", name="Submit application")).to_be_disabled()
    expect(page.get_by_role("button", name="Submit application")).to_have_accessible_description(
        re.compile("Cannot submit yet")
    )
    assert_page_passes(page, assert_accessible)

    open_section(page, live_server, draft, Section.BUDGET)
    budget_cell(page, draft.round.fiscal_years).fill("12,5OO")
    save(page, Section.BUDGET)
    expect(page.get_by_role("alert")).to_contain_text(PROBLEMS)
    page.get_by_role("link", name="Overview and progress").click()
    expect(page.get_by_role("row", name=re.compile("^Budget"))).to_contain_text("Has unsaved problems")
    assert_page_passes(page, assert_accessible)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("section", list(REFUSED_INPUT))
def test_a_section_passes_axe_before_and_after_input_it_refuses(
    applicant, live_server, draft, assert_accessible, section
):
    page = applicant
    open_section(page, live_server, draft, section)
    assert_page_passes(page, assert_accessible, fields=1)

    years = draft.round.fiscal_years
    field, typed, message = REFUSED_INPUT[section]
    field(page, years).fill(typed)
    save(page, section)

    expect(page.get_by_role("alert")).to_contain_text(PROBLEMS)
    field = field(page, years)
    expect(field).to_have_value(typed)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    assert_page_passes(page, assert_accessible, fields=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("section", list(TEXT_ONLY))
def test_a_text_section_passes_axe_before_and_after_a_conflicting_save(
    applicant, live_server, draft, assert_accessible, section
):
    page = applicant
    label = TEXT_ONLY[section]
    open_section(page, live_server, draft, section)
    assert_page_passes(page, assert_accessible, fields=2)

    other_tab = page.context.new_page()
    open_section(other_tab, live_server, draft, section)
    other_tab.get_by_label(label).fill("Saved first, in another tab")
    save(other_tab, section)
    expect(other_tab.get_by_role("status")).to_contain_text(f"Saved “{Section(section).label}”.")
    other_tab.close()

    page.get_by_label(label).fill("Saved second, from an older copy")
    save(page, section)
    expect(page.get_by_role("alert")).to_contain_text("after you opened it, and nothing of theirs was overwritten")
    expect(page.get_by_label(label)).to_have_value("Saved second, from an older copy")
    assert_page_passes(page, assert_accessible, fields=2)


@pytest.mark.django_db(transaction=True)
def test_the_rubric_responses_pass_axe_before_and_with_an_answer_over_the_limit(
    applicant, live_server, draft, assert_accessible
):
    page = applicant
    open_section(page, live_server, draft, Section.NARRATIVES)
    assert_page_passes(page, assert_accessible, fields=6)

    answer = page.get_by_label("Sustainability", exact=True)
    answer.fill("x" * 5001)
    expect(page.get_by_text("5,001 of 5,000 characters: 1 over the limit")).to_be_visible()
    save(page, Section.NARRATIVES)
    expect(page.get_by_text("“Sustainability” is 5,001 characters, 1 over the 5,000 limit.")).to_be_visible()
    assert_page_passes(page, assert_accessible, fields=6)


@pytest.mark.django_db(transaction=True)
def test_the_attachments_pages_pass_axe_before_and_after_a_refused_upload(
    applicant, live_server, draft, assert_accessible, tmp_path
):
    page = applicant
    open_section(page, live_server, draft, Section.ATTACHMENTS)
    assert_page_passes(page, assert_accessible)

    page.get_by_role("link", name="Upload, replace or delete attachments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Attachments: {draft.number}")
    assert_page_passes(page, assert_accessible, fields=3)

    notes = tmp_path / "budget.xlsx"
    notes.write_text("Not a spreadsheet at all.")
    label = "File for “Budget workbook”"
    form = page.locator("form").filter(has=page.get_by_label(label))
    form.get_by_label(label).set_input_files(notes)
    form.get_by_role("button", name="Upload").click()
    upload = page.get_by_label(label)
    expect(upload).to_have_attribute("aria-invalid", "true")
    expect(upload).to_have_accessible_description(re.compile("is not a PDF, Word"))
    assert_page_passes(page, assert_accessible, fields=3)


@pytest.mark.django_db(transaction=True)
def test_a_complete_application_its_submission_and_the_read_only_pages_pass_axe(
    applicant, live_server, demo, draft, assert_accessible
):
    page = applicant
    application = complete(draft, demo["users"]["applicant@example.org"])
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("Every check has passed: the application can be submitted.")).to_be_visible()
    assert_page_passes(page, assert_accessible)
    for section in Section.values:  # each section with what was saved, still editable
        open_section(page, live_server, application, section)
        assert_page_passes(page, assert_accessible, fields=0 if section == Section.ATTACHMENTS else 1)

    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("link", name="Upload, replace or delete attachments").click()
    expect(page.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)  # links, not buttons
    expect(page.get_by_role("link", name=re.compile("^Delete "))).to_have_count(2)
    assert_page_passes(page, assert_accessible, fields=3)

    page.get_by_role("link", name="Back to the application").click()
    page.get_by_role("link", name="Submit application").click()
    assert_page_passes(page, assert_accessible, fields=1)
    submit_url = page.url
    page.get_by_role("button", name="Submit application").click()  # not confirmed
    confirm = page.get_by_label("I am authorized by the lead agency to submit this application")
    assert_refused_by_the_browser(page, confirm, submit_url)

    confirm.check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Submitted application {application.number}: Capital Region Health Pathways"
    )
    assert_page_passes(page, assert_accessible)

    page.get_by_role("link", name=application.number).click()
    expect(page.get_by_role("link", name="View the submitted application")).to_be_visible()
    assert_page_passes(page, assert_accessible)
    for section in Section.values:
        open_section(page, live_server, application, section)
        expect(page.get_by_role("main").locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
        assert_page_passes(page, assert_accessible)
    page.goto(f"{live_server.url}/applications/{application.pk}/attachments/")
    expect(page.get_by_text("Read-only:")).to_be_visible()
    assert_page_passes(page, assert_accessible)
