"""Review and scoring in the browser: staff assign a reader, the reader attests and scores, the ranked list moves.

The round and its earlier reviews are arranged in the database (round r2 of the demo, moved to "in review", with
four submitted applications and their frozen snapshots); everything the staff member and the reader do is clicked.
Celery runs eagerly, so the scoring task enqueued when the review is submitted runs in the live server's thread.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consortia.models import Affiliation
from grants.applications.models import Application, NarrativeResponse, Submission
from grants.applications.services.snapshot import build_snapshot, checksum
from grants.programs.models import Round
from grants.reviews.models import ApplicationScore, Assignment, Review
from grants.reviews.services import scoring
from tests.factories import SubmittedApplicationFactory, UserFactory, scored_review

R2 = "Round 2: Implementation grants (demonstration, open now)"
READER = "Riley Reader"
# The demo rubric, in order: Need 20, Programs of study 25, Work-based learning 15, Partnerships 15,
# Sustainability 15, Budget 10 (100 points, every weight 1). Earlier readers' points per application:
EARLIER = {
    "R2-0001": [[16, 21, 12, 12, 13, 8], [16, 20, 12, 11, 11, 8]],  # 82 and 78: mean 80
    "R2-0002": [[16, 20, 12, 12, 11, 8], [15, 20, 12, 11, 11, 8]],  # 79 and 77: mean 78
    "R2-0003": [[15, 19, 12, 11, 11, 8], [15, 19, 11, 11, 10, 8]],  # 76 and 74: mean 75
    "R2-0004": [[15, 19, 11, 11, 10, 8]],  # 74, one reader of the two needed: last
}
TARGET = "R2-0004"


def _round_in_review(demo) -> Round:
    """The demo's round 2 after its deadline, in review, two readers per application."""
    now = timezone.now()
    Round.objects.filter(pk=demo["rounds"]["r2"].pk).update(
        status=Round.Status.IN_REVIEW,
        opens_at=now - timedelta(days=40),
        loi_deadline=now - timedelta(days=30),
        closes_at=now - timedelta(days=2),
        review_due_at=now + timedelta(days=14),
        readers_per_application=2,
    )
    return Round.objects.get(pk=demo["rounds"]["r2"].pk)


def _submitted(round_, consortium, number: str) -> Application:
    """A submitted application with a narrative for each criterion and its current, frozen Submission."""
    application = SubmittedApplicationFactory(
        round=round_,
        consortium=consortium,
        category=round_.categories.order_by("position").first(),
        number=number,
        title=f"{consortium.name.split(' (')[0]} Health Pathways",
        created_by__password=None,
    )
    for criterion in round_.criteria.all():
        NarrativeResponse.objects.create(
            application=application,
            criterion=criterion,
            text=f"{number} answers “{criterion.name}”: hospital internships for 120 students a year.",
        )
    data = build_snapshot(application, submitted_at=application.submitted_at)
    Submission.objects.create(
        application=application,
        submitted_at=application.submitted_at,
        submitted_by=application.created_by,
        data=data,
        checksum=checksum(data),
    )
    return application


def _arrange_round(demo) -> tuple[Round, dict[str, Application]]:
    """Four submitted applications of round 2 with other readers' submitted reviews, scored once."""
    round_ = _round_in_review(demo)
    consortia = demo["consortia"][1:5]  # not CRANE: its lead contact is the demo applicant
    applications = {}
    for consortium, (number, readings) in zip(consortia, EARLIER.items(), strict=True):
        applications[number] = application = _submitted(round_, consortium, number)
        for points in readings:
            review = scored_review(application, UserFactory(role="Readers", password=None), points)
            Review.objects.filter(pk=review.pk).update(total=sum(points))  # kept on submit; every weight is 1
    scoring.score_round(round_id=round_.pk)
    return round_, applications


def _switch_to(page, live_server, login, email, password):
    page.context.clear_cookies()
    login(page, live_server, email, password)


def _ranked_table(page):
    return page.get_by_role("table", name=re.compile(r"^Applications in "))


def _expect_ranking(page, numbers: list[str]):
    """The ranked list's rows, in order, by number; each row's Rank cell counts 1, 2, 3..."""
    table = _ranked_table(page)
    expect(table.get_by_role("rowheader").locator("a")).to_have_text(numbers)
    expect(table.locator("tbody tr td:first-child")).to_have_text([str(n) for n in range(1, len(numbers) + 1)])


def _row(page, number: str):
    # The row header is the number with the consortium under it.
    header = page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(number)}\b"))
    return _ranked_table(page).get_by_role("row").filter(has=header)


@pytest.mark.django_db(transaction=True)
def test_a_reader_assigned_by_staff_attests_scores_and_submits_and_the_application_moves_to_first_place(
    page, live_server, demo, login, assert_accessible
):
    target = _arrange_round(demo)[1][TARGET]
    password = demo["password"]

    # Staff see the application last, one reader short, and assign the demo reader by hand.
    login(page, live_server, "staff@example.org", password)
    page.get_by_role("link", name=f"Scores in {R2}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scores: {R2}")
    assert_accessible(page)
    page.get_by_role("link", name="Ranked list").click()
    _expect_ranking(page, ["R2-0001", "R2-0002", "R2-0003", TARGET])
    expect(_row(page, TARGET)).to_contain_text("1 of 2")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name=f"Readers for {R2}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Readers: {R2}")
    assert_accessible(page)
    page.get_by_role("link", name=f"Assign a reader to {TARGET}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Assign a reader to {TARGET}")
    assert_accessible(page)
    reader = page.get_by_role("combobox", name=re.compile(r"^Reader"))
    reader.select_option(label=f"{READER} (reader@example.org): 0 in this round")
    page.get_by_role("button", name="Assign reader").click()

    expect(page.get_by_text(f"Assigned {READER} to {TARGET}.")).to_be_visible()
    board_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(TARGET)))
    expect(board_row).to_contain_text(READER)
    expect(board_row.get_by_role("cell").nth(1)).to_have_text("None")  # no reader needed any more
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]

    # The reader finds it in "My reviews" and cannot open it before attesting.
    _switch_to(page, live_server, login, "reader@example.org", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My reviews")
    queue_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=TARGET))
    expect(queue_row).to_contain_text("Awaiting attestation")
    expect(queue_row).to_contain_text(target.title)
    assert_accessible(page)

    assignment = Assignment.objects.get(application=target, reader__email="reader@example.org")
    page.goto(f"{live_server.url}/reviews/{assignment.pk}/")
    expect(page).to_have_url(f"{live_server.url}/reviews/{assignment.pk}/attest/")
    page.go_back()
    queue_row.get_by_role("link", name=f"Attest or declare a conflict for {TARGET}").click()
    expect(page).to_have_url(f"{live_server.url}/reviews/{assignment.pk}/attest/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Conflict of interest: {TARGET}")
    expect(page.get_by_role("main")).to_contain_text(target.consortium.lead_agency.name)
    assert_accessible(page)

    page.get_by_role("button", name="Attest and open the application").click()
    box = page.get_by_label("I have no conflict of interest with this consortium or any of its members")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Tick the box to attest, or declare a conflict of interest instead.")).to_be_visible()
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.ASSIGNED
    box.check()
    page.get_by_role("button", name="Attest and open the application").click()

    # The scoring page: the submitted snapshot beside the rubric, a running total as the reader types.
    expect(page).to_have_url(f"{live_server.url}/reviews/{assignment.pk}/")
    expect(page.get_by_text(f"Attested. {TARGET} is open for scoring.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {TARGET}: {target.title}")
    snapshot = page.get_by_role("region", name="Submitted application")
    expect(snapshot).to_contain_text(f"{TARGET} answers “Programs of study”: hospital internships")
    expect(snapshot).to_contain_text(target.consortium.name)
    rubric = page.get_by_role("region", name="Your scores")
    expect(rubric.locator("fieldset")).to_have_count(6)  # one per criterion
    total = page.get_by_role("status").filter(has_text="Weighted total")
    expect(total).to_have_text("Weighted total: 0.00 of 100.00 (0 of 6 criteria scored)")
    assert_accessible(page)

    page.get_by_label("Score for Need and regional labor market (0 to 20)").fill("30")
    expect(total).to_have_text("Weighted total: 0.00 of 100.00 (0 of 6 criteria scored; 1 not counted until corrected)")
    page.get_by_label("Score for Need and regional labor market (0 to 20)").fill("20")
    page.get_by_label("Score for Programs of study (0 to 25)").fill("25")
    page.get_by_label("Score for Work-based learning (0 to 15)").fill("15")
    expect(total).to_have_text("Weighted total: 60.00 of 100.00 (3 of 6 criteria scored)")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    others_url = f"{live_server.url}/reviews/{assignment.pk}/others/"
    assert page.goto(others_url).status == 403  # not before their own review is submitted

    # Away and back: the draft is there.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My reviews").click()
    expect(queue_row).to_contain_text("Draft saved")
    queue_row.get_by_role("link", name=f"Score {TARGET}").click()
    expect(page.get_by_label("Score for Need and regional labor market (0 to 20)")).to_have_value("20")
    expect(page.get_by_label("Score for Programs of study (0 to 25)")).to_have_value("25")
    expect(page.get_by_label("Score for Work-based learning (0 to 15)")).to_have_value("15")
    expect(page.get_by_label("Score for Partnerships (0 to 15)")).to_have_value("")
    expect(total).to_have_text("Weighted total: 60.00 of 100.00 (3 of 6 criteria scored)")

    # The rest, with a low Budget score: submitting without explaining it is refused next to the comment.
    page.get_by_label("Score for Partnerships (0 to 15)").fill("15")
    page.get_by_label("Score for Sustainability (0 to 15)").fill("15")
    page.get_by_label("Score for Budget (0 to 10)").fill("4")
    expect(total).to_have_text("Weighted total: 94.00 of 100.00 (6 of 6 criteria scored)")
    page.get_by_role("button", name="Submit review").click()

    refused = "Your review was not submitted. Valid entries were saved as a draft; correct the marked fields."
    expect(page.get_by_text(refused)).to_be_visible()
    budget_comment = page.get_by_label("Comment on Budget")
    expect(budget_comment).to_have_attribute("aria-invalid", "true")
    expect(budget_comment).to_have_accessible_description(
        re.compile(r"Explain this score: a comment is required for scores below 5 \(50% of the maximum\)\.")
    )
    expect(page.get_by_label("Score for Budget (0 to 10)")).to_have_value("4")
    expect(total).to_have_text("Weighted total: 94.00 of 100.00 (6 of 6 criteria scored)")
    assert Review.objects.get(assignment=assignment).status == Review.Status.DRAFT
    assert_accessible(page)

    budget_comment.fill("The equipment line is twice what the quotes in the budget workbook support.")
    page.get_by_label("Overall comment").fill("Strong pathways and partners; the budget needs work.")
    page.get_by_role("button", name="Submit review").click()

    # Submitted and locked: the scores are shown, nothing can be typed or submitted again.
    expect(page.get_by_text("Review submitted. It is now locked.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your submitted review")).to_be_visible()
    expect(page.get_by_role("button", name="Submit review")).to_have_count(0)
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator("main input.js-score")).to_have_count(0)
    scores = page.get_by_role("table", name="Your scores, by criterion.")
    expect(scores.get_by_role("row").filter(has_text="Budget")).to_contain_text("4 of 10")
    expect(scores.get_by_role("row").filter(has_text="Budget")).to_contain_text("The equipment line is twice")
    expect(scores.get_by_role("row").filter(has_text="Weighted total")).to_contain_text("94.00")
    assert_accessible(page)
    review = Review.objects.get(assignment=assignment)
    assert (review.status, review.total) == (Review.Status.SUBMITTED, Decimal("94.00"))

    # Now, and not before, the other reader's scores: without their name.
    page.get_by_role("link", name=f"See the other readers' scores for {TARGET}").click()
    expect(page).to_have_url(others_url)
    other = page.get_by_role("region", name="Reader 1")
    expect(other.get_by_role("row").filter(has_text="Weighted total")).to_contain_text("74.00")
    earlier = Assignment.objects.exclude(pk=assignment.pk).get(application=target).reader
    expect(page.get_by_text(str(earlier))).to_have_count(0)
    assert_accessible(page)

    # The scoring task ran on commit: mean (74 + 94) / 2 = 84 puts it first. Staff see it in the ranked list.
    score = ApplicationScore.objects.get(application=target)
    assert (score.readers, score.raw_mean, score.rank) == (2, Decimal("84.00"), 1)
    _switch_to(page, live_server, login, "staff@example.org", password)
    page.get_by_role("link", name=f"Scores in {R2}").click()
    page.get_by_role("link", name="Ranked list").click()
    _expect_ranking(page, [TARGET, "R2-0001", "R2-0002", "R2-0003"])
    target_row = _row(page, TARGET)
    expect(target_row).to_contain_text("2 of 2")
    expect(target_row).to_contain_text("84.00")
    expect(target_row).to_contain_text("Flagged")  # 94 and 74 are 20 apart, more than the round's 15
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_reader_affiliated_with_the_lead_agency_cannot_read_the_application_they_were_assigned(
    page, live_server, demo, login, assert_accessible
):
    round_ = _round_in_review(demo)
    application = _submitted(round_, demo["consortia"][1], "R2-0001")
    reader = demo["users"]["reader@example.org"]
    # Assigned first; the affiliation with the lead agency became known afterwards.
    assignment = Assignment.objects.create(
        application=application, reader=reader, assigned_by=demo["users"]["staff@example.org"]
    )
    lead = application.consortium.lead_agency
    Affiliation.objects.create(user=reader, organization=lead, position="Board trustee")

    login(page, live_server, "reader@example.org", demo["password"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My reviews").click()
    queue_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="R2-0001"))
    expect(queue_row).to_contain_text("Conflict of interest: you cannot read it")
    expect(queue_row).to_contain_text("Not shown")
    expect(page.get_by_text(application.title)).to_have_count(0)
    assert_accessible(page)

    queue_row.get_by_role("link", name="Decline R2-0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot read R2-0001")
    expect(page.get_by_role("main")).to_contain_text(f"Affiliated with {lead.name}")
    expect(page.get_by_text(application.title)).to_have_count(0)
    expect(page.get_by_role("button", name="Attest and open the application")).to_have_count(0)
    assert_accessible(page)

    for path in (f"/reviews/{assignment.pk}/", f"/reviews/{assignment.pk}/others/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
        expect(page.get_by_text(application.title)).to_have_count(0)
    assert not Review.objects.filter(assignment=assignment).exists()

    # Declining gives the assignment back with the reason on record; staff then see it needs a reader.
    page.goto(f"{live_server.url}/reviews/{assignment.pk}/attest/")
    page.get_by_role("button", name="Decline R2-0001").click()
    expect(page.get_by_text("You declined R2-0001. Program staff will assign another reader.")).to_be_visible()
    expect(page.get_by_text("No application is assigned to you at the moment.")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLINED
    assert assignment.end_reason == f"Conflict of interest: Affiliated with {lead.name}"
