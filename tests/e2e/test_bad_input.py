"""In a real browser: text pasted with an invisible control character is named next to its field and shown again
without it, and saving again stores it; a file over what one request may carry gets the page that says the limit."""

import re

import pytest
from playwright.sync_api import expect

from ccpt.lib.forms import CleanInput
from grants.applications.models import Application


@pytest.mark.django_db(transaction=True)
def test_pasted_text_with_a_control_character_is_explained_then_saved(applicant, live_server, draft, assert_accessible):
    page = applicant
    page.goto(f"{live_server.url}/applications/{draft.pk}/sections/summary/")
    summary = page.get_by_label("Overall summary")
    summary.fill("Pathways into allied health.\x0bPage two of the plan.")

    page.get_by_role("button", name="Save overall summary").click()

    expect(page.get_by_role("alert")).to_contain_text("Saved as a draft with problems")
    expect(summary).to_have_value("Pathways into allied health.Page two of the plan.")
    expect(summary).to_have_attribute("aria-invalid", "true")
    expect(summary).to_have_accessible_description(re.compile(re.escape(CleanInput.control_characters_message)))
    assert_accessible(page)

    page.get_by_role("button", name="Save overall summary").click()

    expect(page.get_by_text("Saved “Overall summary”.")).to_be_visible()
    assert Application.objects.get(pk=draft.pk).summary == "Pathways into allied health.Page two of the plan."


@pytest.mark.django_db(transaction=True)
def test_a_file_over_what_one_request_carries_gets_the_page_with_the_limits(
    applicant, live_server, draft, assert_accessible, settings, tmp_path
):
    settings.CCPT_MAX_UPLOAD_MB = 1
    settings.CCPT_REQUEST_MARGIN_MB = 1
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(3 * 1024 * 1024))
    page = applicant
    page.goto(f"{live_server.url}/applications/{draft.pk}/attachments/")

    page.get_by_label("Another supporting file").set_input_files(str(scan))
    page.locator("#submit-other").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Too much to send at once")
    expect(page.get_by_role("main")).to_contain_text("the site takes at most 2 MB in one go")
    assert_accessible(page)
    assert not draft.attachments.exists()
