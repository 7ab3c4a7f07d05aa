"""Finalist interviews through the browser: an administrator turns on round 2's interview stage and writes its
rubric, staff choose the top finalist and schedule CRANE's interview with a panel, CRANE's lead asks for another
slot and staff move it, the panel member scores the interview once it has taken place, and the ranked list blends
the two scores and says how."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccpt.lib.dates import pacific
from grants.interviews.models import Interview
from grants.reviews.services.scoring import score_round

from ..factories import SubmissionFactory, UserFactory, scored_review


def _read(round_, consortium, category, points):
    application = SubmissionFactory(
        application__consortium=consortium, application__round=round_, application__category=category
    ).application
    scored_review(application, UserFactory(role="Readers"), points)
    return application


@pytest.mark.django_db(transaction=True)
def test_an_interview_scheduled_moved_scored_and_ranked(page, live_server, demo, crane, login, assert_accessible):
    round_ = demo["rounds"]["r2"]
    category = round_.categories.get(name="$6 million")
    criteria = round_.criteria.count()
    other = next(c for c in demo["consortia"] if c != crane)
    finalist = _read(round_, crane, category, [20] * criteria)
    _read(round_, other, category, [10] * criteria)
    score_round(round_id=round_.pk)

    login(page, live_server, "admin@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/")
    page.get_by_role("link", name="Interviews", exact=True).click()
    page.get_by_role("link", name="Interview settings", exact=True).click()
    assert_accessible(page)
    page.get_by_label("The round interviews finalists").check()
    page.get_by_label(re.compile("Weighted: the final score")).check()
    page.get_by_label(re.compile("Weight of the interview")).fill("40")
    page.get_by_label(re.compile("Finalists per funding category")).fill("1")
    page.get_by_role("button", name="Save the interview settings").click()
    expect(page.get_by_text("Interview settings saved.")).to_be_visible()
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Name").fill("Presentation and partnership")
    page.get_by_label("Maximum points").fill("50")
    page.get_by_role("button", name="Save the criterion").click()
    expect(page.get_by_role("cell", name="50")).to_be_visible()
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/interviews/")
    page.get_by_role("button", name="Choose the top").click()
    expect(page.get_by_text("1 new finalist.")).to_be_visible()
    page.get_by_label("New panel's name").fill("Panel A")
    page.get_by_role("button", name="Create a panel").click()
    page.get_by_label("Panel member").select_option(value=str(demo["users"]["reader@example.org"].pk))
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.get_by_text(re.compile("added to Panel A"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Interviews", exact=True).click()
    page.get_by_role("link", name=f"Schedule {finalist.number}").click()
    first = pacific(timezone.now() + timedelta(days=10)).replace(hour=10, minute=0)
    page.get_by_label("Starts (Pacific time)").fill(first.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Video link").fill("https://meet.example.org/crane")
    page.get_by_role("button", name="Save the slot and email the finalist").click()
    expect(page.get_by_text(re.compile("the finalist is being emailed"))).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    login(page, live_server, "applicant@example.org", demo["password"])
    page.get_by_role("link", name=f"Interview of {finalist.number}").click()
    expect(page.get_by_text("https://meet.example.org/crane")).to_be_visible()
    expect(page.get_by_text("Panel members' scores")).to_have_count(0)
    page.get_by_label("Why does the slot not suit?").fill("Our superintendent presents to the board that morning.")
    page.get_by_label("Times that would suit (optional)").fill("Any afternoon that week")
    page.get_by_role("button", name="Ask for another slot").click()
    expect(page.get_by_text(re.compile("Request sent"))).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/interviews/")
    expect(page.get_by_text("Asked for another slot")).to_be_visible()
    page.get_by_role("link", name=f"Move the interview of {finalist.number}").click()
    page.get_by_label("Starts (Pacific time)").fill(first.replace(hour=14).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the slot and email the finalist").click()
    expect(page.get_by_text(re.compile(r"^Answer: Moved to .* 2:00 PM"))).to_be_visible()
    page.context.clear_cookies()

    # The day comes: the interview took place an hour ago.
    Interview.objects.filter(finalist__application=finalist).update(starts_at=timezone.now() - timedelta(hours=1))

    login(page, live_server, "reader@example.org", demo["password"])
    page.get_by_role("link", name="Open my interviews").click()
    page.get_by_role("link", name=f"Score {finalist.number}").click()
    assert_accessible(page)
    page.get_by_label(re.compile("Score for Presentation and partnership")).fill("45")
    page.get_by_label("Overall comment").fill("A clear plan, with employers in the room.")
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_text("Scores submitted.")).to_be_visible()
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/scores/ranking/")
    expect(page.get_by_text(re.compile(r"Final score = 60% reading score \+ 40% interview score"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text=finalist.number)
    expect(row.get_by_role("cell", name="90.00")).to_be_visible()  # 45 of 50 on the 100-point reading scale
    assert_accessible(page)
