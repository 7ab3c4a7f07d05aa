"""Real headless Chromium through Playwright (pytest-playwright's fixtures), against pytest-django's live_server.

Debian's Chromium at /usr/bin/chromium is used; Playwright never downloads a browser. Every test here is
marked `browser`; without Chromium or axe-core the tests are skipped locally and fail under CI=true.

Reusable fixtures: `page` (a fresh browser context per test, 10 s default timeout), `login`, `demo`,
`assert_accessible`. Write tests as:

    @pytest.mark.django_db(transaction=True)
    def test_it(page, live_server, demo, login, assert_accessible):
        login(page, live_server, "staff@example.org", demo["password"])
"""

import contextlib
import os
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from grants import demo as demo_data

from ..conftest import need_service

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HERE = Path(__file__).resolve().parent


def _is_browser_test(item) -> bool:
    return HERE in Path(item.path).resolve().parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Mark every test here `browser`, and run them last. pytest-django puts transactional tests after
    the others, but pytest then regroups tests by pytest-playwright's session-scoped `browser_name`
    parameter, which would pull these forward; their flush would then empty the database for the rest."""
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    items.sort(key=_is_browser_test)


@pytest.fixture(scope="session", autouse=True)
def _browser_tools():
    # Session-scoped so that it runs before pytest-playwright launches the browser.
    if not CHROMIUM.exists():
        need_service("needs Chromium at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.exists():
        need_service("needs node_modules/axe-core/axe.min.js (npm install)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def page(page):
    """pytest-playwright's page, in a fresh context per test, failing fast."""
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Browser tests commit; the flush after each one also removes the counties, regions and role groups
    that a data migration created, so put them back first."""
    import_module("consortia.migrations.0002_reference_data").load(apps, None)


@pytest.fixture
def demo(_reference_data):
    """The demo data (grants.demo.load()'s dict: users, consortia, program, rounds) plus its "password"; without
    round 1's awards and their years of reports and payments (`demo_awards` adds them), so that CRANE starts with
    no application."""
    return {**demo_data.load(awards=False), "password": demo_data.DEMO_PASSWORD}


@pytest.fixture
def demo_awards(demo):
    """The demo's round 1 awards, their reports and payments, and its data manager (data@example.org)."""
    from grants import demo_awards as awards

    return awards.load(round1=demo["rounds"]["r1"], users=demo["users"])


CRANE = "Capital Region Academies for the Next Economy (CRANE)"  # the demo applicant's consortium


@pytest.fixture
def crane(demo):
    return next(c for c in demo["consortia"] if c.name == CRANE)


@pytest.fixture
def draft(demo, crane):
    """CRANE's application in round 2, just started."""
    from grants.applications.services.drafts import start_application

    round_ = demo["rounds"]["r2"]
    return start_application(
        round_=round_,
        consortium=crane,
        category=round_.categories.get(name="$6 million"),
        by=demo["users"]["applicant@example.org"],
    )


@pytest.fixture
def applicant(page, live_server, demo, login):
    """The page, signed in as the demo applicant (CRANE's lead contact)."""
    login(page, live_server, "applicant@example.org", demo["password"])
    return page


def _login(page, live_server, email, password):
    """Sign in through the real login form and wait for the dashboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def login():
    """login(page, live_server, email, password)"""
    return _login


def _assert_accessible(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page; fail with a readable list of violations."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern; a <script>
    # tag (page.add_script_tag) would be an inline script, which it refuses.
    page.evaluate(AXE.read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    violations = result["violations"]
    lines = [
        f"- {v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        + (f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else "")
        for v in violations
    ]
    assert not violations, f"Accessibility violations on {page.url}:\n" + "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """assert_accessible(page)"""
    return _assert_accessible


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "page" in getattr(item, "funcargs", {}):
        page = item.funcargs["page"]
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])[:150]
        with contextlib.suppress(Exception):  # a failed screenshot must not hide the test's own failure
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return report
