"""Every page below the dashboard says where it is (a breadcrumb trail starting at the dashboard), and no link on a
role's pages leads to an error: each role's pages are walked from the dashboard by following their links."""

import re
from collections import Counter, deque
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from consortia.models import Contact, User
from grants import demo
from grants.applications.services.snapshot import build_snapshot, checksum
from grants.applications.services.submission import submit_application
from grants.awards.models import FundingPlan
from grants.programs.models import Round
from grants.reviews.models import Assignment
from tests.factories import (
    AssignmentFactory,
    ContactFactory,
    FundingPlanFactory,
    SubmissionFactory,
    award_in,
    submittable_application,
)

pytestmark = pytest.mark.django_db

# The dashboard is where every trail starts; signing in and the error pages are no place in the site.
NO_TRAIL = {
    "dashboard",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:verify",
    "accounts:confirm-identity",
    "confirm-identity",
    "consortia:accept-invitation",
}
SKIP = re.compile(r"^/(admin|static|media)/|\.(csv|pdf|txt|json|ico|svg)$|/files/\d+/$")
PAGES_PER_ROLE = 150
PAGES_PER_VIEW = 2


@pytest.fixture
def site(db):
    """The demo data, with the demo applicant's submitted application read by the demo reader, a funding plan in
    review and an award to the applicant's consortium."""
    loaded = demo.load()
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    application = submittable_application()
    ContactFactory(consortium=application.consortium, user=users["applicant@example.org"], role=Contact.Role.LEAD)
    submit_application(application=application, by=users["applicant@example.org"])
    AssignmentFactory(application=application, reader=users["reader@example.org"], status=Assignment.Status.ACCEPTED)
    in_review = Round.objects.create(
        program=application.round.program,
        name="Round 3: in review",
        code="r3",
        funds_available=Decimal("1000000.00"),
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
        grant_start_year=2026,
        grant_years=2,
        status=Round.Status.IN_REVIEW,
    )
    FundingPlanFactory(round=in_review, status=FundingPlan.Status.DRAFT, created_by=users["staff@example.org"])
    decided = Round.objects.get(status=Round.Status.DECIDED)
    award = award_in(decided, "R1-A-0001", "500000.00")
    data = build_snapshot(award.application, submitted_at=timezone.now())
    SubmissionFactory(application=award.application, data=data, checksum=checksum(data))
    ContactFactory(consortium=award.consortium, user=users["applicant@example.org"], role=Contact.Role.LEAD)
    return loaded


def _links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a[^>]+href="([^"#]+)', page)]


def _walk(client):
    """Visit the role's pages from the dashboard: {path: (status, url name, page text)} and the page each
    link was found on."""
    seen, found_on, queue, per_view = {}, {}, deque(["/"]), Counter()
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        path = url.split("?")[0]
        if path in seen or SKIP.search(path):
            continue
        try:
            name = resolve(path).view_name
        except Resolver404:
            seen[path] = (404, None, "")
            continue
        if per_view[name] == PAGES_PER_VIEW:  # two consortia or rounds say as much as two hundred
            continue
        per_view[name] += 1
        response = client.get(url)
        page = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
        seen[path] = (response.status_code, name, page)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            found_on.setdefault(response["Location"].split("?")[0], found_on.get(path))
        for link in _links(page):
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
                found_on.setdefault(link.split("?")[0], path)
    return seen, found_on


@pytest.mark.parametrize(
    "email", ["staff@example.org", "admin@example.org", "reader@example.org", "applicant@example.org"]
)
def test_every_page_of_each_role_below_the_dashboard_has_a_breadcrumb_trail(client, site, email):
    client.force_login(User.objects.get(email=email))

    pages, found_on = _walk(client)

    html = {path: (name, page) for path, (status, name, page) in pages.items() if status == 200 and page}
    assert len(html) > 8, sorted(html)  # the walk reached the role's pages
    untrailed = [
        f"{path} ({name})"
        for path, (name, page) in html.items()
        if name not in NO_TRAIL and 'aria-label="Breadcrumb"' not in page
    ]
    assert untrailed == []
    starts = {
        path: re.search(r'<ol class="breadcrumb">\s*<li class="breadcrumb-item"><a href="([^"]+)"', page)
        for path, (name, page) in html.items()
        if name not in NO_TRAIL
    }
    assert [path for path, first in starts.items() if not first or first.group(1) != "/"] == []
    dead_ends = [
        f"{path} ({status}), linked from {found_on.get(path)}"
        for path, (status, _, _) in pages.items()
        if status >= 400
    ]
    assert dead_ends == []
