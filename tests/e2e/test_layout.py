"""Every role's list pages (and the pages of one round, program, award and consortium) fit a 1,280-pixel screen
without sideways scrolling and keep the columns that matter on a 390-pixel phone, where a table too wide scrolls in
its own box, which the keyboard can reach; the scoring page keeps the application readable beside the scores,
nothing covering a field.

The data: the demo, a decided round of six ranked applications of demo consortia (LA HITECH's long name among
them) with an approved plan, awards and notices (test_funding_decisions.round_in_review), a set-aside draw, and a
reader assigned in round 2. Set CCPT_SHOTS=/some/folder to keep a screenshot of each page at each width.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grants.awards.services.approval import approve_plan
from grants.awards.services.plans import generate_plan
from grants.setaside.services import draw_set_aside
from tests.factories import AssignmentFactory, submit

from .test_funding_decisions import LA_HITECH, round_in_review
from .test_review_and_scoring import TARGET, _arrange_round

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
SHOTS = os.environ.get("CCPT_SHOTS")


def _decided_round(demo):
    round_ = round_in_review(demo)
    plan = generate_plan(round_=round_, by=demo["users"]["staff@example.org"], last_application="skip")
    approve_plan(plan=submit(plan), by=demo["users"]["admin@example.org"])
    consortium = next(c for c in demo["consortia"] if c.name == LA_HITECH)
    staff = demo["users"]["staff@example.org"]
    draw_set_aside(
        program=demo["program"], kind="planning_grant", amount=Decimal("150000.00"), by=staff, consortium=consortium,
        description="Planning grant for a consortium whose name is long",
    )  # fmt: skip
    return round_


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def _assert_fits(page, name):
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{name} at {page.viewport_size['width']} px scrolls sideways: {width}"


def _assert_columns_in_view(page, name, columns):
    """Each column's heading is shown, and wholly inside the phone's screen (not scrolled off to the right)."""
    screen = page.viewport_size["width"]
    for column in columns:
        heading = page.locator("main table thead th").filter(has_text=re.compile(f"^{re.escape(column)}$")).first
        expect(heading).to_be_visible()
        box = heading.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= screen, f"{name}: {column!r} is out of view: {box}"


def _check(page, live_server, name, path, columns, assert_accessible):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _assert_fits(page, name)
        if size is DESKTOP:
            # No table of the page needs its own sideways scrolling at 1,280 pixels either.
            wide = page.evaluate(
                "() => [...document.querySelectorAll('main .table-responsive')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.querySelector('caption')?.textContent)"
            )
            assert wide == [], f"{name}: tables that scroll sideways at 1,280 px: {wide}"
            assert_accessible(page)
        else:
            _assert_columns_in_view(page, name, columns)
        _shot(page, name)


@pytest.mark.django_db(transaction=True)
def test_every_roles_list_pages_fit_a_desktop_and_keep_their_key_columns_on_a_phone(
    page, live_server, demo, login, assert_accessible
):
    round_ = _decided_round(demo)
    assignment = AssignmentFactory(reader=demo["users"]["reader@example.org"], status="accepted")
    program = demo["program"].pk
    staff_pages = [
        ("submissions", f"/rounds/{round_.pk}/submissions/?status=", ["Application", "Requested", "Screening"]),
        ("ranked-list", f"/rounds/{round_.pk}/scores/ranking/", ["Rank", "Application", "Final", "Fundable"]),
        ("funding-plan", f"/rounds/{round_.pk}/plan/", ["Rank", "Application", "Recommended", "Funded"]),
        ("round-awards", f"/rounds/{round_.pk}/awards/", ["Award", "Amount", "Status"]),
        ("notices", f"/rounds/{round_.pk}/notices/", ["Application", "Delivery"]),
        ("assignment-board", f"/rounds/{assignment.application.round_id}/assignments/", ["Application", "Readers"]),
        ("program-dashboard", f"/programs/{program}/dashboard/", ["Round"]),
        ("set-aside-ledger", f"/programs/{program}/set-aside/", ["Recorded", "Amount", "Balance after"]),
        ("consortia", "/consortia/", ["Consortium", "Members"]),
        ("rounds", "/rounds/", ["Round", "Status"]),
        ("staff-home", "/", ["Round", "Next"]),
        # Pages of one thing: their tables scroll inside their own box on a phone, never the page.
        ("round-page", f"/rounds/{round_.pk}/", []),
        ("program-page", f"/programs/{program}/", []),
        ("award-page", f"/awards/{round_.awards.order_by('pk').first().pk}/", []),
        ("consortium-page", f"/consortia/{round_.awards.order_by('pk').first().consortium_id}/", []),
    ]
    roles = [
        ("staff@example.org", staff_pages),
        ("admin@example.org", [("people", "/people/", ["Name", "Roles", "Status"]),
                               ("programs", "/programs/", ["Program", "Appropriated"]),
                               ("audit-trail", "/audit/", ["When", "What", "Summary"])]),
        ("reader@example.org", [("my-reviews", "/reviews/", ["Application", "Next step"])]),
        ("applicant@example.org", [("my-applications", "/applications/", ["Application", "Status", "Requested"]),
                                   ("my-awards", "/awards/", ["Award", "Amount", "Status"])]),
    ]  # fmt: skip
    for email, pages in roles:
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        login(page, live_server, email, demo["password"])
        for name, path, columns in pages:
            _check(page, live_server, name, path, columns, assert_accessible)
    # The long name wraps inside its cell rather than widening the page.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/applications/")
    page.context.clear_cookies()
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/scores/ranking/")
    expect(page.locator("main table").get_by_text(LA_HITECH)).to_be_visible()
    _assert_fits(page, "ranked list")
    assert_accessible(page)
    # On a phone the round page's wide tables scroll inside their boxes: each a region named by its table's caption,
    # in the tab order.
    page.goto(f"{live_server.url}/rounds/{round_.pk}/")
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('main .table-responsive')].filter(b => b.scrollWidth > b.clientWidth + 1)"
        ".map(b => [b.getAttribute('tabindex'), b.getAttribute('role'), b.getAttribute('aria-label'),"
        " b.querySelector('caption').textContent.trim()])"
    )
    assert boxes, "a table of the round page should be too wide for a phone"
    for tabindex, role, label, caption in boxes:
        assert (tabindex, role, label) == ("0", "region", caption)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)  # wide enough again: no longer a stop for the keyboard
    expect(page.locator("main .table-responsive[tabindex]")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_the_scoring_page_keeps_the_application_beside_the_scores_and_nothing_covers_a_field(
    page, live_server, demo, login, assert_accessible
):
    _, applications = _arrange_round(demo)
    reader = demo["users"]["reader@example.org"]
    assignment = AssignmentFactory(application=applications[TARGET], reader=reader, status="accepted")
    page.set_viewport_size(DESKTOP)
    login(page, live_server, "reader@example.org", demo["password"])
    page.goto(f"{live_server.url}/reviews/{assignment.pk}/")

    application = page.locator("section[aria-labelledby='snapshot-heading']")
    scores = page.locator("section[aria-labelledby='rubric-heading']")
    total = page.locator("#running-total")
    # Side by side, the application in the page's own flow (no inner scroll pane), the scores within the window.
    text_box, scores_box = application.bounding_box(), scores.bounding_box()
    assert text_box["x"] + text_box["width"] <= scores_box["x"]
    assert application.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    assert scores_box["height"] <= DESKTOP["height"]
    _shot(page, "scoring")

    # Through every score by keyboard: each field is in view when reached and the running total never covers it.
    inputs = page.locator("input.js-score")
    inputs.first.focus()
    for index in range(inputs.count()):
        field = inputs.nth(index)
        if index:
            page.keyboard.press("Tab")  # from the comment above to this score
        expect(field).to_be_focused()
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type("5")
        box, covered = field.bounding_box(), total.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], f"score {index + 1} is out of view"
        assert box["y"] + box["height"] <= covered["y"] or box["y"] >= covered["y"] + covered["height"]
        page.keyboard.press("Tab")  # to its comment
    expect(total).to_contain_text(f"({inputs.count()} of {inputs.count()} criteria scored)")
    assert_accessible(page)

    # On a phone: one column, the application first, nothing wider than the screen, nothing sticky.
    page.set_viewport_size(PHONE)
    _assert_fits(page, "scoring page")
    assert scores.bounding_box()["y"] >= application.bounding_box()["y"] + application.bounding_box()["height"]
    assert scores.evaluate("e => getComputedStyle(e).position") == "static"
    _shot(page, "scoring")
