"""A clarification asked and answered through the browser: staff ask CRANE a question about its submitted application
with a due time, CRANE's lead contact sees the unread message in the navigation, answers it, and staff read the
answer beside the submitted application; a staff note never reaches the consortium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.applications.models import Application

from ..factories import SubmissionFactory

CRANE = "Capital Region Academies for the Next Economy (CRANE)"


@pytest.mark.django_db(transaction=True)
def test_staff_ask_crane_answers_and_the_answer_stands_beside_the_submission(
    page, live_server, demo, login, assert_accessible
):
    crane = next(c for c in demo["consortia"] if c.name == CRANE)
    submission = SubmissionFactory(application__consortium=crane, application__round=demo["rounds"]["r2"])
    application = submission.application
    assert application.status == Application.Status.SUBMITTED
    due = timezone.localtime() + timedelta(days=3)

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("link", name=re.compile("Conversation with the consortium")).click()
    assert_accessible(page)
    page.get_by_label("Question").fill("How many students will the Elk Grove pathway serve in 2027-28?")
    page.get_by_label("Answer due (Pacific time)").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_text(re.compile(r"Asked .*CRANE.*; the answer is due"))).to_be_visible()
    page.get_by_label("Note for staff").fill("Their budget narrative repeats 2026-27.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Note saved for staff.")).to_be_visible()
    page.context.clear_cookies()

    login(page, live_server, "applicant@example.org", demo["password"])
    expect(page.get_by_role("link", name=re.compile(r"Messages 1\s*unread"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Messages")).click()
    assert_accessible(page)
    page.get_by_role("link", name=application.number).click()
    expect(page.get_by_role("heading", name="Questions waiting for your answer")).to_be_visible()
    expect(page.get_by_text("Their budget narrative repeats 2026-27.")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("textbox", name="Your answer").fill("About 420 students, 120 of them in grade 9.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Answer sent.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Messages\s*$"))).to_be_visible()  # nothing unread now
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/applications/{application.pk}/submission/")
    expect(page.get_by_role("heading", name="Clarifications")).to_be_visible()
    expect(page.get_by_text("About 420 students, 120 of them in grade 9.")).to_be_visible()
    assert_accessible(page)
