"""What a reader may type as a score, and when a comment is required: messages next to the field."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.reviews.forms.reviews import ReviewForm
from grants.reviews.models import Assignment, Review
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory, RoundFactory


def _form(round_, criterion, points, comment="", submit=True):
    data = {f"points_{criterion.pk}": points, f"comment_{criterion.pk}": comment, "overall_comment": ""}
    form = ReviewForm(data, round=round_, criteria=[criterion], submit=submit)
    form.is_valid()
    return form


@pytest.fixture
def round_(db):
    return RoundFactory(half_points=False, comment_required_below=Decimal("50"))


@pytest.fixture
def need(round_):
    return CriterionFactory(round=round_, name="Need", max_points=Decimal("20"))


@pytest.mark.parametrize("points", ["0", "7", "20", " 12 ", "12.0"])
def test_it_accepts_whole_points_from_zero_to_the_maximum(round_, need, points):
    form = _form(round_, need, points, comment="Explained.")

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("points", ["-1", "21", "20.5", "1000000"])
def test_it_refuses_a_score_outside_zero_to_the_maximum(round_, need, points):
    form = _form(round_, need, points)

    assert form.errors[f"points_{need.pk}"] == ["Enter a score from 0 to 20."]


@pytest.mark.parametrize("points", ["twelve", "12,5", "1e", "NaN", "Infinity"])
def test_it_refuses_what_is_not_a_number(round_, need, points):
    form = _form(round_, need, points)

    assert form.errors[f"points_{need.pk}"] == ["Enter the score as a number, e.g. 14."]


def test_it_refuses_half_points_when_the_round_uses_whole_points(round_, need):
    form = _form(round_, need, "12.5")

    assert form.errors[f"points_{need.pk}"] == ["Use whole points (e.g. 14)."]


def test_it_accepts_half_points_when_the_round_allows_them(round_, need):
    round_.half_points = True

    assert _form(round_, need, "12.5").is_valid()
    assert _form(round_, need, "0.5", comment="Barely addressed.").is_valid()
    assert _form(round_, need, "12.25").errors[f"points_{need.pk}"] == ["Use whole or half points (e.g. 14 or 14.5)."]


def test_a_comment_is_required_below_the_threshold_on_submit(round_, need):
    form = _form(round_, need, "9")

    assert form.errors[f"comment_{need.pk}"] == [
        "Explain this score: a comment is required for scores below 10 (50% of the maximum)."
    ]
    assert _form(round_, need, "9", comment="The labor-market data are from 2009.").is_valid()
    assert _form(round_, need, "10").is_valid()


def test_a_comment_is_not_required_on_a_draft(round_, need):
    assert _form(round_, need, "9", submit=False).is_valid()


def test_every_criterion_must_be_scored_on_submit_but_not_in_a_draft(round_, need):
    assert _form(round_, need, "", submit=True).errors[f"points_{need.pk}"] == [
        "Score this criterion before submitting."
    ]
    assert _form(round_, need, "", submit=False).is_valid()


def test_the_threshold_follows_the_round_setting(round_, need):
    round_.comment_required_below = Decimal("75")

    assert f"comment_{need.pk}" in _form(round_, need, "14").errors
    assert _form(round_, need, "15").is_valid()


@pytest.fixture
def assignment(db):
    return AssignmentFactory(status=Assignment.Status.ACCEPTED)


def test_the_service_refuses_a_score_above_the_maximum(assignment):
    criterion = CriterionFactory(round=assignment.application.round, max_points=Decimal("10"))
    data = {"scores": {criterion.pk: {"points": Decimal("11")}}}

    with pytest.raises(Refusal) as refused:
        reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=False)

    assert refused.value.errors == {criterion.pk: {"points": "Enter a score from 0 to 10."}}
    assert not Review.objects.filter(assignment=assignment).exists()


def test_the_service_refuses_to_submit_a_low_score_without_a_comment(assignment):
    criterion = CriterionFactory(round=assignment.application.round, max_points=Decimal("10"))
    data = {"scores": {criterion.pk: {"points": Decimal("2"), "comment": "  "}}}

    with pytest.raises(Refusal) as refused:
        reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)

    assert "comment" in refused.value.errors[criterion.pk]
    review = reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=False)
    assert review.status == Review.Status.DRAFT
    assert review.scores.get().points == Decimal("2")


def test_the_message_appears_next_to_the_field_on_the_page(client, assignment):
    criterion = CriterionFactory(round=assignment.application.round, name="Need", max_points=Decimal("20"))
    client.force_login(assignment.reader)

    response = client.post(
        reverse("reviews:review", args=[assignment.pk]),
        {f"points_{criterion.pk}": "25", f"comment_{criterion.pk}": "", "submit": "submit"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="error_1_id_points_{criterion.pk}"' in html
    assert "Enter a score from 0 to 20." in html
    assert 'value="25"' in html


@pytest.mark.parametrize(
    ("maximum", "half_points", "hint"),
    [
        ("10", False, "Use whole points (e.g. 7). Weight 1."),
        ("10", True, "Use whole or half points (e.g. 7 or 7.5). Weight 1."),
        ("1", True, "Use whole or half points (e.g. 0.5 or 1). Weight 1."),
        ("0.5", True, "Use whole or half points (e.g. 0 or 0.5). Weight 1."),
        ("7.5", False, "Use whole points (e.g. 5). Weight 1."),
        ("100", False, "Use whole points (e.g. 70). Weight 1."),
    ],
)
def test_the_example_score_fits_the_criterion(round_, maximum, half_points, hint):
    round_.half_points = half_points
    criterion = CriterionFactory(round=round_, max_points=Decimal(maximum))

    form = ReviewForm(round=round_, criteria=[criterion])

    assert form.fields[f"points_{criterion.pk}"].help_text == hint
    example = [Decimal(n) for n in hint.split("e.g. ")[1].split(")")[0].split(" or ")]
    assert all(0 <= n <= Decimal(maximum) for n in example)
    assert all(not reviews.points_problem(criterion, n, half_points=half_points) for n in example)


def test_a_score_that_is_no_number_gets_an_example_within_a_ten_point_criterion(round_):
    criterion = CriterionFactory(round=round_, name="Budget", max_points=Decimal("10"))

    form = _form(round_, criterion, "ten")

    assert form.errors[f"points_{criterion.pk}"] == ["Enter the score as a number, e.g. 7."]
