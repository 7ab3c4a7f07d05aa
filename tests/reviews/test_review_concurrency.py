"""Two submissions of the same review at the same moment (a double click, two tabs): one wins, once."""

from decimal import Decimal

import pytest

from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.reviews.models import Assignment, Review
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory
from ..helpers import race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_submit_once(scoring_enqueued):
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    criterion = CriterionFactory(round=assignment.application.round, max_points=Decimal("10"))
    data = {"scores": {criterion.pk: {"points": Decimal("8"), "comment": ""}}}

    def submit():
        try:
            reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)
            return "submitted"
        except Refusal:
            return "refused"

    outcomes = race(submit, submit)

    assert sorted(outcomes) == ["refused", "submitted"]
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.SUBMITTED
    assert StatusChange.objects.filter(content_type__model="review", object_id=review.pk).count() == 1
