"""Saving a draft keeps whatever was entered, even incomplete; a wrong value keeps its text and its message."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.reviews.models import Assignment, Review, Score
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory, ReviewFactory, ScoreFactory


@pytest.fixture
def assignment(db):
    return AssignmentFactory(status=Assignment.Status.ACCEPTED)


@pytest.fixture
def criteria(assignment):
    round_ = assignment.application.round
    return [CriterionFactory(round=round_, max_points=Decimal("20"), position=n) for n in range(3)]


def _url(assignment):
    return reverse("reviews:review", args=[assignment.pk])


def test_a_draft_saves_incomplete_input(reader_client, assignment, criteria):
    response = reader_client.post(
        _url(assignment),
        {
            f"points_{criteria[0].pk}": "4",
            f"comment_{criteria[1].pk}": "Still reading the partner letters.",
            "overall_comment": "First pass.",
            "save": "draft",
        },
    )

    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.DRAFT
    assert review.total is None
    assert review.overall_comment == "First pass."
    assert Score.objects.get(review=review, criterion=criteria[0]).points == Decimal("4")
    assert Score.objects.get(review=review, criterion=criteria[1]).comment == "Still reading the partner letters."
    assert not Score.objects.filter(review=review, criterion=criteria[2]).exists()


def test_the_page_shows_the_saved_draft_again(reader_client, assignment, criteria):
    review = ReviewFactory(assignment=assignment, overall_comment="First pass.")
    ScoreFactory(review=review, criterion=criteria[0], points=Decimal("15"), comment="Clear data.")

    html = reader_client.get(_url(assignment)).content.decode()

    assert f'name="points_{criteria[0].pk}" value="15"' in html
    assert "Clear data." in html
    assert "First pass." in html


def test_a_wrong_value_keeps_its_text_and_the_right_ones_are_saved(reader_client, assignment, criteria):
    review = ReviewFactory(assignment=assignment)
    ScoreFactory(review=review, criterion=criteria[1], points=Decimal("12"))

    response = reader_client.post(
        _url(assignment),
        {
            f"points_{criteria[0].pk}": "18",
            f"points_{criteria[1].pk}": "l5",
            f"comment_{criteria[1].pk}": "Typed with a letter L.",
            "save": "draft",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="l5"' in html
    assert "Enter the score as a number, e.g. 14." in html
    assert "Valid entries were saved as a draft" in html
    scores = {s.criterion_id: s for s in Score.objects.filter(review=review)}
    assert scores[criteria[0].pk].points == Decimal("18")
    assert scores[criteria[1].pk].points == Decimal("12")  # the wrong value did not replace the saved one
    assert scores[criteria[1].pk].comment == "Typed with a letter L."


def test_clearing_a_score_in_a_draft_removes_it(assignment, criteria):
    review = ReviewFactory(assignment=assignment)
    ScoreFactory(review=review, criterion=criteria[0], points=Decimal("12"))

    reviews.save_review(
        assignment=assignment,
        by=assignment.reader,
        data={"scores": {criteria[0].pk: {"points": None, "comment": ""}}},
        submit=False,
    )

    assert Score.objects.get(review=review, criterion=criteria[0]).points is None


def test_saving_the_same_draft_twice_adds_no_score_version(assignment, criteria):
    data = {"scores": {criteria[0].pk: {"points": Decimal("12"), "comment": "Fine."}}}

    reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=False)
    reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=False)

    score = Score.objects.get(criterion=criteria[0])
    assert score.history.count() == 1


def test_only_the_assigned_reader_can_save(assignment, criteria, reader_user):
    with pytest.raises(PermissionDenied):
        reviews.save_review(assignment=assignment, by=reader_user, data={}, submit=False)


def test_a_withdrawn_application_can_no_longer_be_scored(assignment, criteria):
    assignment.application.status = "withdrawn"
    assignment.application.save()

    with pytest.raises(Refusal, match="withdrawn"):
        reviews.save_review(assignment=assignment, by=assignment.reader, data={}, submit=False)
