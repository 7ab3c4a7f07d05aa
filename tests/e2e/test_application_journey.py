"""The lead applicant of CRANE builds an application in round r2 through the browser, over two visits, and submits it.

Only the demo data is loaded directly; everything else is typed and clicked as a person would.
"""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from grants.applications.models import Application, Submission

from .conftest import CRANE

R2 = "Round 2: Implementation grants (demonstration, open now)"
TITLE = "Capital Region Health and Clean Energy Pathways"
SUMMARY = (
    "Sequenced pathways from grade 9 into Los Rios allied health and clean-energy programs, with paid internships."
)
TARGET_GROUP = "Students in grades 9-14 at Elk Grove and Sacramento City high schools."
ACCEPTED = "Every check has passed: the application can be submitted."


def tiny_pdf(path):
    """A one-page PDF whose cross-reference table points at the real byte offsets."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj%sendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)
    return path


def tiny_xlsx(path):
    """An Office Open XML workbook with one empty sheet: content types first, as Excel writes them."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{main}.worksheet+xml"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        package.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{relationships}">'
            '<sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        package.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
        )
    return path


def open_section(page, label):
    page.get_by_role("navigation", name="Application sections").get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)


def save(page, label):
    page.get_by_role("button", name=f"Save {label.lower()}").click()


def expect_message(page, text):
    """The page's message (role "status"; the budget's <output> totals share that role)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_saved(page, label):
    expect_message(page, f"Saved “{label}”.")


def section_row(page, label):
    return page.get_by_role("table", name="Sections of the application").get_by_role(
        "row", name=re.compile("^" + re.escape(label))
    )


def sign_out(page, live_server):
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Alex Applicant").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def expect_read_only(page):
    expect(page.get_by_text("application R2-0001 is submitted (submitted")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Save"))).to_have_count(0)


def fill_partner(page, organization, kind, year, amount, note, responsibilities):
    partner = page.get_by_role("group", name="New partner")
    partner.get_by_label("Member organization").select_option(label=organization)
    partner.get_by_label("Responsibilities").fill(responsibilities)
    partner.get_by_label(f"{kind} amount, {year}").fill(amount)
    partner.get_by_label(f"{kind} description, {year}").fill(note)
    save(page, "Partners")
    expect_saved(page, "Partners")
    expect(page.get_by_role("group", name=f"Partner: {organization}")).to_be_visible()


@pytest.fixture(autouse=True)
def _patient_expect():
    """Assertions wait as long as actions do (10 s): the machine may be busy with other test runs."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.mark.django_db(transaction=True)
def test_the_applicant_builds_an_application_over_two_visits_and_submits_it(
    page, live_server, demo, login, tmp_path, mailoutbox
):
    years = demo["rounds"]["r2"].fiscal_years
    first, second, third, fourth = years
    login(page, live_server, "applicant@example.org", demo["password"])

    # My applications: nothing yet, and CRANE may start one in round 2.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My applications")
    expect(page.get_by_text("Your consortia have no applications yet.")).to_be_visible()
    round_two = page.get_by_role("article", name=R2)
    expect(round_two.get_by_role("row", name=re.compile(re.escape(CRANE)))).to_contain_text("Filed")
    round_two.get_by_role("link", name=f"Start an application for {CRANE}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Start an application in {R2}")
    expect(page.locator('input[name="round"]')).to_have_value(str(demo["rounds"]["r2"].pk))
    page.get_by_label("Funding category").select_option(label="$6 million (up to $6,000,000.00)")
    page.get_by_role("button", name="Start the application").click()

    expect_message(page, "Started application R2-0001.")
    expect(page.get_by_role("heading", level=1)).to_have_text("R2-0001: Untitled application")
    expect(section_row(page, "Overall summary")).to_contain_text("Incomplete")
    expect(page.get_by_role("button", name="Submit application")).to_be_disabled()

    # The summary, and a target group without the number of students.
    section_row(page, "Overall summary").get_by_role("link", name="Edit Overall summary").click()
    page.get_by_label("Project title").fill(TITLE)
    page.get_by_label("Overall summary").fill(SUMMARY)
    save(page, "Overall summary")
    expect_saved(page, "Overall summary")
    expect(page.get_by_text(re.compile("Last saved by Alex Applicant on .* P[SD]T"))).to_be_visible()

    open_section(page, "Target group")
    page.get_by_label("Target group").fill(TARGET_GROUP)
    page.get_by_label("Grades served").fill("9-14")
    save(page, "Target group")
    expect_saved(page, "Target group")

    page.get_by_role("link", name="Overview and progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"R2-0001: {TITLE}")
    expect(section_row(page, "Overall summary")).to_contain_text("Complete")
    expect(section_row(page, "Target group")).to_contain_text("Incomplete")
    expect(section_row(page, "Target group")).to_contain_text("Say how many students the pathways serve.")
    expect(section_row(page, "Budget")).to_contain_text("Enter the budget.")
    expect(page.get_by_text("Every section is complete: not yet.")).to_be_visible()

    # Coming back later: the draft is listed and nothing typed was lost.
    sign_out(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CCPT Grants")
    login(page, live_server, "applicant@example.org", demo["password"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My applications").click()
    listed = page.get_by_role("table", name="Applications of your consortia").get_by_role(
        "row", name=re.compile("R2-0001")
    )
    expect(listed).to_contain_text(TITLE)
    expect(listed).to_contain_text("Draft")
    listed.get_by_role("link", name="R2-0001").click()
    section_row(page, "Overall summary").get_by_role("link", name="Edit Overall summary").click()
    expect(page.get_by_label("Project title")).to_have_value(TITLE)
    expect(page.get_by_label("Overall summary")).to_have_value(SUMMARY)
    open_section(page, "Target group")
    expect(page.get_by_label("Target group")).to_have_value(TARGET_GROUP)
    page.get_by_label("Number of students served").fill("1,200")
    save(page, "Target group")
    expect_saved(page, "Target group")

    open_section(page, "Statement of need and regional labor market")
    page.get_by_label("Statement of need").fill("One in five students in the region leaves high school unprepared.")
    page.get_by_label("Regional labor market").fill("Hospitals and solar installers report hundreds of open jobs.")
    save(page, "Statement of need and regional labor market")
    expect_saved(page, "Statement of need and regional labor market")

    # Letters in a budget amount: the error is next to the cell and the typed text is still there.
    open_section(page, "Budget")
    salaries = page.get_by_label(f"1000 Certificated salaries, {first}")
    salaries.fill("12,5OO")
    save(page, "Budget")
    expect(page.get_by_role("alert")).to_contain_text("Saved as a draft with problems")
    salaries = page.get_by_label(f"1000 Certificated salaries, {first}")
    expect(salaries).to_have_value("12,5OO")
    expect(salaries).to_have_attribute("aria-invalid", "true")
    expect(salaries).to_have_accessible_description(
        re.compile(re.escape("Enter an amount in dollars, such as 12500 or 12,500.00."))
    )
    page.get_by_role("link", name="Overview and progress").click()
    expect(section_row(page, "Budget")).to_contain_text("Has unsaved problems")

    # Every section, completed.
    section_row(page, "Budget").get_by_role("link", name="Edit Budget").click()
    expect(page.get_by_label(f"1000 Certificated salaries, {first}")).to_have_value("12,5OO")
    amounts = {
        f"1000 Certificated salaries, {first}": "400,000",
        f"2000 Classified salaries, {first}": "$100,000.00",
        f"5000 Services and other operating expenditures, {second}": "300000",
        f"4000 Books and supplies, {third}": "150,000",
        f"7000 Indirect costs, {fourth}": "50,000",
    }
    for label, amount in amounts.items():
        page.get_by_label(label).fill(amount)
    expect(page.get_by_text("Total requested:")).to_contain_text("$1,000,000.00")  # computed as typed
    for year in years:
        page.get_by_label(f"Budget narrative for {year}").fill(f"Coordinators, curriculum and lab equipment in {year}.")
    save(page, "Budget")
    expect_saved(page, "Budget")
    expect(page.get_by_label(f"2000 Classified salaries, {first}")).to_have_value("100,000.00")

    open_section(page, "Programs of study")
    program = page.get_by_role("group", name="New program of study")
    program.get_by_label("Pathway name").fill("Allied Health")
    program.get_by_label("Industry sector").select_option(label="Health Science and Medical Technology")
    program.get_by_label("K-12 courses in sequence").fill("Health Science 1\nMedical Terminology\nAnatomy")
    program.get_by_label("College courses or programs in sequence").fill("AH 110 Allied Health\nEMT 1")
    program.get_by_label("Work-based learning").fill(
        "Job shadowing in grade 10; paid hospital internships in grade 12."
    )
    program.get_by_label("Student internships").check()
    for year in years:
        program.get_by_label(f"Students to be served in {year}").fill("300")
    save(page, "Programs of study")
    expect_saved(page, "Programs of study")
    expect(page.get_by_role("group", name="Program of study: Allied Health")).to_be_visible()

    # Partners whose commitments reach exactly 25% of the $1,000,000 request.
    open_section(page, "Partners")
    fill_partner(
        page,
        "Capital Valley Health Partners",
        "Cash",
        first,
        "150,000",
        "Internship wages",
        "Hosts student and teacher internships.",
    )
    fill_partner(
        page,
        "Los Rios Community College District",
        "In-kind",
        second,
        "$100,000",
        "Lab space",
        "Offers dual-enrollment courses.",
    )

    open_section(page, "Responses to the rubric")
    criteria = [c.name for c in demo["rounds"]["r2"].criteria.all()]
    assert len(criteria) == 6
    for name in criteria:
        page.get_by_label(name, exact=True).fill(f"How CRANE meets “{name}”, with the evidence.")
    first_answer = f"How CRANE meets “{criteria[0]}”, with the evidence."
    expect(page.get_by_text(f"{len(first_answer)} of 5,000 characters").first).to_be_visible()
    save(page, "Responses to the rubric")
    expect_saved(page, "Responses to the rubric")

    # Attachments: a PDF and an Excel workbook, checked by their content.
    page.get_by_role("link", name="Overview and progress").click()
    expect(page.get_by_text("Required attachments are uploaded: not yet.")).to_be_visible()
    page.get_by_role("link", name="Upload, replace or delete attachments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attachments: R2-0001")
    uploads = {
        "Consortium agreement (signed)": tiny_pdf(tmp_path / "consortium-agreement.pdf"),
        "Budget workbook": tiny_xlsx(tmp_path / "budget-workbook.xlsx"),
    }
    for name, path in uploads.items():
        label = f"File for “{name}”"
        form = page.locator("form").filter(has=page.get_by_label(label))
        form.get_by_label(label).set_input_files(path)
        form.get_by_role("button", name="Upload").click()
        expect_message(page, f"Uploaded “{path.name}” as “{name}”.")
    files = page.get_by_role("table", name=re.compile("Files attached to application R2-0001"))
    expect(files.get_by_role("row")).to_have_count(3)
    expect(files).to_contain_text("Excel (.xlsx)")
    expect(files).to_contain_text("PDF")

    # Every check passed; submit.
    page.get_by_role("link", name="Back to the application").click()
    for label in ["Overall summary", "Target group", "Programs of study", "Partners", "Budget", "Attachments"]:
        expect(section_row(page, label)).to_contain_text("Complete")
    checks = page.get_by_role("region", name="Eligibility and completeness").get_by_role("listitem")
    expect(checks).to_have_count(7)
    for check in checks.all():
        expect(check).to_contain_text(": passed.")
    expect(page.get_by_text("Committed $250,000.00; required $250,000.00.")).to_be_visible()
    expect(page.get_by_text(ACCEPTED)).to_be_visible()

    page.get_by_role("link", name="Submit application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit application R2-0001")
    page.get_by_label("I am authorized by the lead agency to submit this application").check()
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submitted application R2-0001: {TITLE}")
    expect_message(page, "Application R2-0001 was submitted on")
    submission = Submission.objects.get(application__number="R2-0001", is_current=True)
    record = page.get_by_role("region", name="Submission record")
    expect(record).to_contain_text(submission.checksum)
    expect(record).to_contain_text("Verified: the stored copy matches its checksum.")
    assert re.fullmatch(r"[0-9a-f]{64}", submission.checksum)

    # The receipt, sent by the screening task once the submission was committed.
    assert len(mailoutbox) == 1
    receipt = mailoutbox[0]
    assert receipt.subject == f"Receipt: application R2-0001 submitted to {R2}"
    assert "applicant@example.org" in receipt.to
    assert "Application number: R2-0001" in receipt.body
    assert f"SHA-256 checksum of the submitted application: {submission.checksum}" in receipt.body
    assert "Amount requested: $1,000,000.00" in receipt.body
    assert f"/applications/{submission.application_id}/submission/" in receipt.body

    # Submitted: every section is read-only.
    page.get_by_role("link", name="R2-0001").click()
    expect(page.get_by_text("Read-only:")).to_be_visible()
    expect(page.get_by_role("link", name="View the submitted application")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Edit "))).to_have_count(0)
    section_row(page, "Overall summary").get_by_role("link", name="View Overall summary").click()
    expect_read_only(page)
    expect(page.get_by_text(TITLE, exact=True)).to_be_visible()
    for label in ["Budget", "Responses to the rubric", "Partners"]:
        open_section(page, label)
        expect_read_only(page)
    expect(page.get_by_role("table", name="Resources committed by Capital Valley Health Partners")).to_contain_text(
        "$150,000.00"
    )
    assert Application.objects.get(number="R2-0001").status == Application.Status.SUBMITTED
