"""The scoring task through the real Redis broker and a running worker (see tests/conftest.py)."""

from decimal import Decimal

import pytest

from grants.reviews.models import ApplicationScore
from tests.factories import ApplicationFactory, UserFactory, one_criterion_round, scored_review
from tests.helpers import enqueue, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_scores_a_round(celery_worker_ready):
    round_ = one_criterion_round(rank_by="mean")
    first = ApplicationFactory(round=round_, status="submitted")
    second = ApplicationFactory(round=round_, status="submitted")
    reader = UserFactory(role="Readers")
    scored_review(first, reader, [62])
    scored_review(second, reader, [88])

    enqueue("grants.reviews.tasks.score_round", round_.pk)

    wait_until(lambda: ApplicationScore.objects.filter(round=round_).count() >= 2, "score both applications")
    scores = {s.application_id: s for s in ApplicationScore.objects.filter(round=round_)}
    assert set(scores) == {first.pk, second.pk}
    assert (scores[second.pk].rank, scores[second.pk].final) == (1, Decimal("88.00"))
    assert (scores[first.pk].rank, scores[first.pk].final) == (2, Decimal("62.00"))
