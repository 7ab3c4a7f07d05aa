"""Funding decisions through the browser: staff build a round's funding plan and change a line, an administrator
approves it, the notices go out, and CRANE's lead contact downloads the award letter and accepts the award.

Only the starting point is arranged in the database: a round in review whose applications are scored and ranked.
Its funding categories plan more than its funds (a round cannot open like that, but it makes the money run short,
so the funding line and the policy for the last application are visible). Everything after is clicked and typed.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ccpt.lib.dates import format_datetime
from grants.awards.models import Award, FundingPlan
from grants.awards.services.approval import approve_plan
from grants.awards.services.plans import generate_plan
from grants.programs.models import Round

from ..factories import PASSWORD, ContactFactory, FundingCategoryFactory, RoundFactory, ranked_application, submit

CRANE = "Capital Region Academies for the Next Economy (CRANE)"
NORCAL = "Northern California Career Pathway Alliance"
OCCPP = "Orange County Career Pathways Partnership (OCCPP)"
LA_HITECH = "LA HITECH (Los Angeles High Impact Information Technology, Entertainment and Communications Hub)"
LONG_BEACH = "Long Beach College Promise Pathways"
DIABLO = "Diablo Gateways to Innovation (DGI)"
ROUND = "Round 3: Implementation grants (2026)"
NORCAL_LEAD = "lead@norcal.example.org"
WHEN = r"[A-Z][a-z]+ \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T"  # as ccpt.lib.dates writes date-times

# number, consortium, category, rank, requested. The round has $2,010,000: in rank order and with "skip",
# 001 and 002 fill Large's two grants, 003 fits, 004 finds Large full, 005 needs more than the $60,000 left,
# and 006 is funded with what remains. 4 funded, $1,990,000, $20,000 left.
APPLICATIONS = [
    ("R3-001", CRANE, "Large", 1, "900000.00"),
    ("R3-002", NORCAL, "Large", 2, "800000.00"),
    ("R3-003", OCCPP, "Small", 3, "250000.00"),
    ("R3-004", LA_HITECH, "Large", 4, "700000.00"),
    ("R3-005", LONG_BEACH, "Small", 5, "200000.00"),
    ("R3-006", DIABLO, "Small", 6, "40000.00"),
]


def round_in_review(demo) -> Round:
    """The round, its two funding categories and six ranked applications; every consortium but LA HITECH has a
    lead contact (CRANE's is the demo applicant; NorCal's can sign in with the factories' password)."""
    now = timezone.now()
    round_ = RoundFactory(
        program=demo["program"],
        name=ROUND,
        code="r3",
        status=Round.Status.IN_REVIEW,
        funds_available=Decimal("2010000.00"),
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        grant_start_year=2026,
        grant_years=2,
    )
    categories = {
        "Large": FundingCategoryFactory(
            round=round_, name="Large", maximum_award=Decimal("900000.00"), planned_grants=2, position=0
        ),
        "Small": FundingCategoryFactory(
            round=round_, name="Small", maximum_award=Decimal("300000.00"), planned_grants=3, position=1
        ),
    }
    consortia = {c.name: c for c in demo["consortia"]}
    for number, name, category, rank, requested in APPLICATIONS:
        ranked_application(
            round_,
            categories[category],
            rank,
            requested,
            consortium=consortia[name],
            number=number,
            title=f"Career pathways of {name}",
        )
    for index, name in enumerate([NORCAL, OCCPP, LONG_BEACH, DIABLO]):
        email = NORCAL_LEAD if name == NORCAL else f"lead{index}@consortium.example.org"
        ContactFactory(consortium=consortia[name], user__email=email, user__first_name="Lee", user__last_name="Lead")
    return round_


def sign_out(page):
    page.get_by_role("navigation", name="Main").locator(".dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def row(scope, header):
    """The table row (of the page, or of one table) whose row header is `header`."""
    page = getattr(scope, "page", scope)
    # A list's row header may carry a detail after its name (an application's consortium under its number).
    header_cell = page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(header)}(\s|$)"))
    return scope.get_by_role("row").filter(has=header_cell)


def section(page, heading):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


@pytest.mark.django_db(transaction=True)
def test_staff_plan_an_administrator_approves_and_cranes_lead_accepts_the_award(
    page, live_server, demo, login, assert_accessible, mailoutbox
):
    round_ = round_in_review(demo)

    # Staff generate a plan, skipping the application the money cannot fully fund.
    login(page, live_server, "staff@example.org", demo["password"])
    page.get_by_role("link", name=f"Funding plan for {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Funding plan: {ROUND}")
    page.get_by_label("Skip to the next application that fits").check()
    page.get_by_role("button", name="Generate plan").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Funding plan computed: 4 applications funded, $1,990,000.00 committed; $20,000.00 left in the round."
    )
    money = page.get_by_role("table", name=f"The round's money: {ROUND}")
    expect(row(money, "Funds available to the round")).to_contain_text("$2,010,000.00")
    expect(row(money, "Committed by this plan if approved")).to_contain_text("$1,990,000.00")
    expect(row(money, "Left in the round")).to_contain_text("$20,000.00")
    large, small = section(page, re.compile("^Large")), section(page, re.compile("^Small"))
    expect(large).to_contain_text("Funding line: rank 2 is the last funded rank.")
    expect(small).to_contain_text("Funding line: rank 6 is the last funded rank.")
    expect(large.locator("tr.funding-line")).to_have_text(re.compile("rank 2 is the last funded"))
    expect(row(page, "R3-004")).to_contain_text("The category's 2 planned grants are already funded")
    expect(row(page, "R3-005")).to_contain_text("Needs $200,000.00 but only $60,000.00 is left in the round.")
    expect(row(page, "R3-006")).to_contain_text("Yes")

    # They lower CRANE's amount with a reason; the money freed funds R3-005 instead of R3-006.
    page.get_by_role("link", name="Change R3-001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change R3-001 in the funding plan")
    page.get_by_label("Change the amount").check()
    page.get_by_label("New amount").fill("750,000")
    page.get_by_label("Reason").fill("The equipment budget includes items the program does not allow.")
    page.get_by_role("button", name="Save the change").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Saved. R3-001 is now funded at $750,000.00. The plan was recomputed. This also changed: "
        "R3-005 is now funded (Funded in rank order.); "
        "R3-006 is no longer funded (Needs $40,000.00 but only $10,000.00 is left in the round.)"
    )
    expect(row(money, "Left in the round")).to_contain_text("$10,000.00")
    expect(row(page, "R3-001")).to_contain_text("$750,000.00")
    expect(row(page, "R3-001")).to_contain_text("Staff change by Sam Staff")
    expect(small).to_contain_text("Funding line: rank 5 is the last funded rank.")
    changes = page.get_by_role("table", name=re.compile("Every change staff made"))
    expect(changes).to_contain_text("Amount $750,000.00")
    expect(changes).to_contain_text("The equipment budget includes items the program does not allow.")
    assert_accessible(page)

    # They submit the plan for approval with a note; it no longer changes.
    page.get_by_label("Note to the administrator").fill("R3-001 lowered: unallowable equipment. Please approve.")
    page.get_by_role("button", name="Submit the plan for approval").click()
    expect(page.get_by_role("status")).to_contain_text("Plan submitted for approval")
    expect(page.locator("#hand-off")).to_contain_text("R3-001 lowered: unallowable equipment. Please approve.")
    expect(page.get_by_role("link", name="Change R3-001")).to_have_count(0)

    # Staff may not approve: no button, and the address is refused.
    expect(page.get_by_role("link", name="Review: approve or return this plan")).to_have_count(0)
    plan = FundingPlan.objects.get(round=round_, status=FundingPlan.Status.SUBMITTED)
    response = page.goto(live_server.url + reverse("awards:plan-approve", args=[plan.pk]))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    sign_out(page)

    # The administrator reviews the plan and approves it.
    login(page, live_server, "admin@example.org", demo["password"])
    page.get_by_role("link", name=f"Approve or return the funding plan for {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Approve the funding plan: {ROUND}")
    differing = page.get_by_role("table", name=re.compile("Each line whose amount differs from the request"))
    expect(row(differing, "R3-001")).to_contain_text("The equipment budget includes items the program does not allow.")
    expect(row(differing, "R3-001")).to_contain_text("Staff change by Sam Staff")
    awards_to_make = page.get_by_role(
        "table", name="The funded applications of the plan and the amount each is offered"
    )
    expect(awards_to_make.get_by_role("rowheader")).to_have_text(["R3-001", "R3-002", "R3-003", "R3-005", "Total"])
    expect(row(page, "Total")).to_contain_text("$2,000,000.00")
    expect(page.get_by_text("4 award notices with the award letter attached, and 2 decline notices")).to_be_visible()
    expect(page.locator(".alert-warning")).to_contain_text(f"{LA_HITECH} (R3-004)")
    assert_accessible(page)
    page.get_by_label("Conditions of the awards").fill("Submit the first annual report by September 30, 2027.")
    page.get_by_role("button", name="Approve the plan and make 4 awards").click(timeout=60_000)

    page.wait_for_url(live_server.url + reverse("awards:round-awards", args=[round_.pk]), timeout=60_000)
    expect(page.get_by_role("status")).to_contain_text(
        "Plan approved: 4 awards offered, $2,000,000.00 committed. 6 notices are being sent."
    )
    awards = page.get_by_role("table", name=f"Awards of {ROUND}, with the delivery of their award notices")
    expect(awards.locator("tbody tr")).to_have_count(4)
    crane_award = Award.objects.get(round=round_, consortium__name=CRANE)
    expect(row(page, crane_award.number)).to_contain_text("$750,000.00")
    expect(row(page, crane_award.number)).to_contain_text("Offered")
    expect(row(page, crane_award.number)).to_contain_text(re.compile(f"Sent {WHEN}"))

    # The round is decided, and the notices page shows what was sent and what could not be.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=ROUND).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Status: Decided")
    page.get_by_role("link", name="Notices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award and decline notices: {ROUND}")
    filters = page.get_by_role("navigation", name="Filter by delivery")
    expect(filters.get_by_role("link", name="Sent (5)")).to_be_visible()
    expect(filters.get_by_role("link", name="Failed (1)")).to_be_visible()
    expect(row(page, "R3-001")).to_contain_text(f"Award notice ({crane_award.number})")
    expect(row(page, "R3-001")).to_contain_text("applicant@example.org")
    expect(row(page, "R3-004")).to_contain_text("Decline notice")
    expect(row(page, "R3-004")).to_contain_text("Failed: The consortium has no one to send it to")
    expect(row(page, "R3-006")).to_contain_text("Decline notice")
    assert_accessible(page)

    to_crane = [m for m in mailoutbox if m.to == ["applicant@example.org"]]
    assert [m.subject for m in to_crane] == [f"CCPT grant award {crane_award.number}: {CRANE}"]
    assert reverse("awards:award", args=[crane_award.pk]) in to_crane[0].body
    [(filename, content, mimetype)] = to_crane[0].attachments
    assert (filename, mimetype) == (f"award-letter-{crane_award.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert sorted(m.subject.split(":")[0] for m in mailoutbox) == sorted(
        [f"CCPT grant award {a.number}" for a in Award.objects.filter(round=round_)] + ["CCPT application R3-006"]
    )
    sign_out(page)

    # CRANE's lead contact finds the award, downloads the letter and accepts.
    login(page, live_server, "applicant@example.org", demo["password"])
    waiting = section(page, "Awards waiting for your answer")
    expect(waiting).to_contain_text(f"{crane_award.number}: $750,000.00 to {CRANE}")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My awards").click()
    mine = page.get_by_role("table", name="Grants awarded to the consortia you act for")
    expect(mine.get_by_role("rowheader")).to_have_text([crane_award.number])
    mine.get_by_role("link", name=crane_award.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award {crane_award.number}: {CRANE} Status: Offered")
    expect(page.get_by_text("Submit the first annual report by September 30, 2027.")).to_be_visible()
    payments = page.get_by_role("table", name=f"Instalments of award {crane_award.number} by fiscal year")
    expect(payments.get_by_role("rowheader")).to_have_text(["2026-27", "2027-28", "Total"])

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the award letter (PDF)").click()
    letter = downloading.value
    assert letter.suggested_filename == f"award-letter-{crane_award.number}.pdf"
    with open(letter.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_label("Accept the award and its conditions").check()
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_role("status")).to_contain_text(f"You accepted award {crane_award.number}.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award {crane_award.number}: {CRANE} Status: Accepted")
    expect(page.get_by_role("button", name="Send your answer")).to_have_count(0)
    crane_award.refresh_from_db()
    assert crane_award.status == Award.Status.ACCEPTED
    answered_text = format_datetime(crane_award.responded_at)
    expect(page.get_by_text(f"Accepted by Alex Applicant on {answered_text}")).to_be_visible()
    sign_out(page)

    # Staff see who accepted and when.
    login(page, live_server, "staff@example.org", demo["password"])
    page.get_by_role("link", name=f"Awards in {ROUND}").click()
    expect(row(page, crane_award.number)).to_contain_text("Accepted")
    page.get_by_role("link", name=crane_award.number).click()
    expect(page.get_by_text(f"Accepted by Alex Applicant on {answered_text}")).to_be_visible()
    history = page.get_by_role("table", name=f"Who changed the status of award {crane_award.number}, when and why")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator("tbody tr")).to_contain_text(re.compile(f"{WHEN}\\s*Alex Applicant\\s*Offered\\s*Accepted"))
    expect(page.get_by_role("heading", name="Change the status")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_another_consortiums_lead_cannot_open_cranes_award_or_its_letter(
    page, live_server, demo, login, assert_accessible
):
    round_ = round_in_review(demo)
    plan = generate_plan(round_=round_, by=demo["users"]["staff@example.org"], last_application="skip")
    approve_plan(plan=submit(plan), by=demo["users"]["admin@example.org"])
    crane_award = Award.objects.get(round=round_, consortium__name=CRANE)
    login(page, live_server, NORCAL_LEAD, PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My awards").click()
    mine = page.get_by_role("table", name="Grants awarded to the consortia you act for")
    expect(mine.get_by_role("cell", name=NORCAL)).to_have_count(1)
    expect(mine).not_to_contain_text(CRANE)

    for url in (reverse("awards:award", args=[crane_award.pk]), reverse("awards:award-letter", args=[crane_award.pk])):
        response = page.goto(live_server.url + url)
        assert response.status == 403
        assert response.headers["content-type"].startswith("text/html")
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
        expect(page.get_by_role("main")).not_to_contain_text(crane_award.number)
        expect(page.get_by_role("main")).not_to_contain_text(CRANE)
    assert_accessible(page)
