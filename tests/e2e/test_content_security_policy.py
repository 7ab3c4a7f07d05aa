"""The main pages of each role under the real Content-Security-Policy (no bypass): the browser reports no violation
and no script error, and the pages' scripts still work (budget totals, running score total, charts, print, adding
a row, the fiscal-years preview).

Violations are caught twice: the page's `securitypolicyviolation` events, reported to the test through an exposed
function, and Chromium's console errors ("Refused to ... because it violates the following Content Security Policy
directive"). Each test ends by checking that the watch would have seen a refused inline script.
"""

import re

import pytest
from playwright.sync_api import expect

from consortia.models import User
from grants.programs.models import Round
from grants.reviews.models import Assignment
from tests.factories import AssignmentFactory, RoundFactory

from .test_review_and_scoring import R2, TARGET, _arrange_round

WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  const what = event.blockedURI || "inline code";
  window.__cspViolation(`${event.effectiveDirective} refused ${what} on ${location.pathname}`);
});
// The print dialog would block a headless browser: count the calls instead.
window.print = () => { window.__printed = (window.__printed || 0) + 1; };
"""


class Watch:
    """What the browser refused or failed on, from every page the test opens."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.expose_function("__cspViolation", lambda report: self.problems.append(report))
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))

    def _console(self, message):
        # The policies themselves must be understood too: Chromium warns of a feature it does not know.
        policies = ("Content Security Policy", "Permissions-Policy")
        if message.type in ("error", "warning") and any(policy in message.text for policy in policies):
            self.problems.append(f"console on {self.page.url}: {message.text}")

    def open(self, url: str):
        response = self.page.goto(url)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        return response

    def assert_clean_and_awake(self):
        """No problem so far; then prove the watch sees one, with an inline script the policy must refuse."""
        assert self.problems == []
        self.page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.append(script);
        }""")
        for _ in range(50):  # the report arrives from the browser a moment later
            if self.problems:
                break
            self.page.wait_for_timeout(100)
        assert self.page.evaluate("() => window.__ran === undefined")
        assert any("script-src" in problem for problem in self.problems), self.problems


@pytest.fixture
def watch(page):
    return Watch(page)


def _nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


@pytest.mark.django_db(transaction=True)
def test_the_applicants_pages_run_their_scripts_under_the_policy(page, live_server, demo, login, watch):
    watch.open(f"{live_server.url}/accounts/login/")
    login(page, live_server, "applicant@example.org", demo["password"])
    _nav(page, "My consortia")
    _nav(page, "My applications")
    page.get_by_role("article", name=R2).get_by_role("link", name=re.compile("^Start an application for")).click()
    page.get_by_label("Funding category").select_option(label="$6 million (up to $6,000,000.00)")
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("R2-0001: Untitled application")

    page.get_by_role("link", name="Edit Budget").click()
    first, second = demo["rounds"]["r2"].fiscal_years[:2]
    page.get_by_label(f"1000 Certificated salaries, {first}").fill("400,000")
    page.get_by_label(f"4000 Books and supplies, {second}").fill("$12,500.50")

    expect(page.get_by_text("Total requested:")).to_contain_text("$412,500.50")  # application-form.js
    watch.assert_clean_and_awake()


def _reader_assigned(demo) -> Assignment:
    round_, applications = _arrange_round(demo)
    reader = demo["users"]["reader@example.org"]
    return AssignmentFactory(application=applications[TARGET], reader=reader, status="accepted")


@pytest.mark.django_db(transaction=True)
def test_the_readers_review_page_keeps_its_running_total_under_the_policy(page, live_server, demo, login, watch):
    assignment = _reader_assigned(demo)
    login(page, live_server, "reader@example.org", demo["password"])
    _nav(page, "My reviews")

    watch.open(f"{live_server.url}/reviews/{assignment.pk}/")
    total = page.get_by_role("status").filter(has_text="Weighted total")
    expect(total).to_have_text("Weighted total: 0.00 of 100.00 (0 of 6 criteria scored)")
    page.get_by_label("Score for Need and regional labor market (0 to 20)").fill("18")
    page.get_by_label("Score for Programs of study (0 to 25)").fill("22")

    expect(total).to_have_text("Weighted total: 40.00 of 100.00 (2 of 6 criteria scored)")  # review-form.js
    watch.assert_clean_and_awake()


@pytest.mark.django_db(transaction=True)
def test_the_staffs_pages_draw_charts_and_print_under_the_policy(page, live_server, demo, login, watch):
    round_, applications = _arrange_round(demo)
    login(page, live_server, "staff@example.org", demo["password"])

    watch.open(f"{live_server.url}/rounds/{round_.pk}/")
    watch.open(f"{live_server.url}/rounds/{round_.pk}/submissions/")
    watch.open(f"{live_server.url}/rounds/{round_.pk}/scores/")
    expect(page.locator('figure[data-chart="bar"] svg')).to_have_count(2)  # charts.js drew both charts
    watch.open(f"{live_server.url}/rounds/{round_.pk}/scores/ranking/")
    watch.open(f"{live_server.url}/programs/{round_.program_id}/dashboard/")
    expect(page.locator("svg.max-w-40rem")).to_have_count(3)  # drawn on the server, sized by a class
    watch.open(f"{live_server.url}/applications/{applications[TARGET].pk}/submission/")
    page.get_by_role("button", name="Print").click()  # site.js: shown and wired without an onclick attribute

    assert page.evaluate("() => window.__printed") == 1
    watch.assert_clean_and_awake()


@pytest.mark.django_db(transaction=True)
def test_the_administrators_forms_add_rows_and_preview_under_the_policy(
    page, live_server, demo, login, watch, assert_accessible
):
    program = demo["program"]
    draft = RoundFactory(program=program, name="Round 3 (draft)", code="r3", status=Round.Status.DRAFT)
    login(page, live_server, "admin@example.org", demo["password"])

    watch.open(f"{live_server.url}/programs/{program.pk}/edit/")
    page.get_by_role("button", name="Add another appropriation").click()  # add-row.js
    expect(page.get_by_role("group", name="New appropriation (3)")).to_be_visible()

    watch.open(f"{live_server.url}/rounds/{draft.pk}/categories/")
    page.get_by_role("button", name="Add another funding category").click()
    expect(page.locator("#rows > fieldset")).to_have_count(2)

    watch.open(f"{live_server.url}/rounds/{draft.pk}/edit/")
    page.get_by_label("Grant period starts in fiscal year").fill("2027")
    page.get_by_label("Number of fiscal years").fill("3")
    expect(page.locator("#fiscal-years-preview")).to_have_text(
        "Fiscal years of the grant: 2027-28, 2028-29, 2029-30"
    )  # round-form.js
    _nav(page, "Audit trail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("table", name=re.compile("^Events, newest first"))).to_contain_text("Signed in")
    assert_accessible(page)
    page.get_by_label("From (Pacific date)").fill("2026-12-02")
    page.get_by_label("To (Pacific date, included)").fill("2026-12-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("To (Pacific date, included)")).to_have_accessible_description(
        re.compile(re.escape("The end date is before the start date (December 2, 2026)."))
    )
    expect(page.get_by_text("Nothing is listed until the filters are corrected")).to_be_visible()
    assert_accessible(page)

    # The back office: Django's admin ships no inline script or style either, and its inline rows still add.
    User.objects.filter(email="admin@example.org").update(is_staff=True, is_superuser=True)
    watch.open(f"{live_server.url}/admin/")
    watch.open(f"{live_server.url}/admin/programs/program/{program.pk}/change/")
    rows = page.locator("#appropriations-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.get_by_role("button", name="Add another Appropriation").click()  # admin/js/inlines.js
    expect(rows).to_have_count(before + 1)
    watch.assert_clean_and_awake()
