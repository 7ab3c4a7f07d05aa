"""Two submissions of the same review at the same moment (a double click, two tabs): one wins, once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.reviews import tasks
from grants.reviews.models import Assignment, Review
from grants.reviews.services import reading as reviews

from ..factories import AssignmentFactory, CriterionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_submit_once(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(tasks, "score_round", type("Fake", (), {"delay": staticmethod(lambda round_id: None)}))
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    criterion = CriterionFactory(round=assignment.application.round, max_points=Decimal("10"))
    data = {"scores": {criterion.pk: {"points": Decimal("8"), "comment": ""}}}
    start = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            start.wait()
            reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)
            outcomes.append("submitted")
        except Refusal:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "submitted"]
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.SUBMITTED
    assert StatusChange.objects.filter(content_type__model="review", object_id=review.pk).count() == 1
