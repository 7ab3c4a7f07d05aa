"""Submitting a review: every criterion scored, the weighted total kept, then the review is locked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.reviews.models import Assignment, Review
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory, ReviewFactory, ScoreFactory


@pytest.fixture
def assignment(db):
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    round_ = assignment.application.round
    round_.half_points = True
    round_.comment_required_below = Decimal("50")
    round_.save()
    return assignment


@pytest.fixture
def criteria(assignment):
    round_ = assignment.application.round
    return [
        CriterionFactory(round=round_, name="Need", max_points=Decimal("20"), weight=Decimal("1.5"), position=1),
        CriterionFactory(round=round_, name="Partners", max_points=Decimal("10"), weight=Decimal("2"), position=2),
        CriterionFactory(round=round_, name="Budget", max_points=Decimal("5"), weight=Decimal("0.25"), position=3),
    ]


def _post(client, assignment, criteria, points, comments=None, action="submit", overall=""):
    comments = comments or [""] * len(criteria)
    data = {action: action, "overall_comment": overall}
    for criterion, value, comment in zip(criteria, points, comments, strict=True):
        data[f"points_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    client.force_login(assignment.reader)
    return client.post(reverse("reviews:review", args=[assignment.pk]), data)


def test_it_keeps_the_weighted_total_computed_by_hand(client, assignment, criteria):
    # 17.5 × 1.5 + 8 × 2 + 3.5 × 0.25 = 26.25 + 16 + 0.875 = 43.125, kept to the cent rounding half up: 43.13
    response = _post(client, assignment, criteria, ["17.5", "8", "3.5"], overall="A strong regional plan.")

    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.SUBMITTED
    assert review.total == Decimal("43.13")
    assert review.submitted_at is not None
    assert review.overall_comment == "A strong regional plan."
    assert [s.points for s in review.scores.order_by("criterion__position")] == [
        Decimal("17.5"),
        Decimal("8.0"),
        Decimal("3.5"),
    ]


def test_the_weighted_total_counts_each_criterion_times_its_weight():
    need = CriterionFactory.build(max_points=Decimal("20"), weight=Decimal("1.5"))
    budget = CriterionFactory.build(max_points=Decimal("5"), weight=Decimal("0.25"))

    assert reviews.weighted_total([(need, Decimal("17.5")), (budget, Decimal("3.5"))]) == Decimal("27.13")
    assert reviews.weighted_total([(need, Decimal("17.5")), (budget, None)]) == Decimal("26.25")


def test_it_refuses_to_submit_until_every_criterion_is_scored(client, assignment, criteria):
    response = _post(client, assignment, criteria, ["17", "", "4"])

    assert response.status_code == 200
    assert "Score this criterion before submitting." in response.content.decode()
    assert "Your review was not submitted" in response.content.decode()
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.DRAFT
    assert review.total is None
    # What was right is kept as a draft.
    assert sorted(s.points for s in review.scores.exclude(points=None)) == [Decimal("4"), Decimal("17")]


def test_the_service_refuses_an_incomplete_submission(assignment, criteria):
    data = {"scores": {criteria[0].pk: {"points": Decimal("12"), "comment": ""}}}

    with pytest.raises(Refusal) as refused:
        reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)

    assert set(refused.value.errors) == {criteria[1].pk, criteria[2].pk}
    assert not Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists()


def test_submitting_records_the_status_change(client, assignment, criteria):
    _post(client, assignment, criteria, ["17", "8", "4"])

    review = Review.objects.get(assignment=assignment)
    change = StatusChange.objects.get(content_type__model="review", object_id=review.pk, to_status="submitted")
    assert change.from_status == "draft"
    assert change.by == assignment.reader


def test_a_submitted_review_is_locked(client, assignment, criteria):
    _post(client, assignment, criteria, ["17", "8", "4"])

    page = client.get(reverse("reviews:review", args=[assignment.pk]))
    html = page.content.decode()
    assert f'name="points_{criteria[0].pk}"' not in html
    assert "Submit review" not in html
    assert "The review is locked" in html

    again = _post(client, assignment, criteria, ["1", "1", "1"], comments=["x", "x", "x"])
    assert again.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.total == Decimal("42.50")
    assert sorted(s.points for s in review.scores.all()) == [Decimal("4"), Decimal("8"), Decimal("17")]
    with pytest.raises(Refusal, match="locked"):
        reviews.save_review(assignment=assignment, by=assignment.reader, data={}, submit=False)


def test_submitting_enqueues_the_round_scoring_after_commit(
    client, assignment, criteria, django_capture_on_commit_callbacks, scoring_enqueued
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _post(client, assignment, criteria, ["17", "8", "4"])

    assert len(callbacks) == 1
    assert scoring_enqueued == [assignment.application.round_id]


def test_saving_a_draft_enqueues_nothing(client, assignment, criteria, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post(client, assignment, criteria, ["17", "", ""], action="save")

    assert callbacks == []


def test_the_page_shows_the_running_total_of_saved_scores(client, assignment, criteria):
    review = ReviewFactory(assignment=assignment)
    ScoreFactory(review=review, criterion=criteria[0], points=Decimal("17.5"))
    ScoreFactory(review=review, criterion=criteria[2], points=Decimal("3.5"))
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()

    assert 'aria-live="polite"' in html
    assert "Weighted total: 27.13 of 51.25" in html
    assert 'data-weight="1.50"' in html
