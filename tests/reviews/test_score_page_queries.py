"""The score pages issue 10 names (ranked list, score dashboard, reconciliation, results) make as many queries for a
round of many read applications as for a few: nothing is asked per application, reader or review."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from grants.applications.models import Application
from grants.reviews.models import ApplicationScore
from grants.reviews.services.scoring import score_round
from tests.factories import (
    ApplicationScoreFactory,
    SubmissionFactory,
    SubmittedApplicationFactory,
    UserFactory,
    contact_of,
    one_criterion_round,
    scored_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return one_criterion_round(status="in_review", discrepancy_threshold=Decimal("10"))


@pytest.fixture
def readers():
    return [UserFactory(role="Readers") for _ in range(4)]


def _read(round_, readers, count: int) -> list[Application]:
    """`count` submitted applications, each read by three of the readers, far apart (flagged)."""
    apps = []
    for n in range(count):
        application = SubmissionFactory(application=SubmittedApplicationFactory(round=round_)).application
        for i, points in enumerate((20, 55, 90)):
            scored_review(application, readers[(n + i) % len(readers)], [points], comments=["Reasoned."])
        apps.append(application)
    score_round(round_id=round_.pk)
    return apps


def _same_count(client, url, grow, django_assert_max_num_queries, most=25):
    client.get(url)  # the session's first request writes it
    with django_assert_max_num_queries(most) as small:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(most) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    return response


def test_the_ranked_list_makes_as_many_queries_for_60_applications_as_for_3(
    staff_client, round_, readers, django_assert_max_num_queries
):
    _read(round_, readers, 3)
    url = reverse("reviews:scores-ranking", args=[round_.pk])

    response = _same_count(staff_client, url, lambda: _read(round_, readers, 57), django_assert_max_num_queries)

    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 60


def test_the_score_dashboard_makes_as_many_queries_for_20_applications_as_for_3(
    staff_client, round_, readers, django_assert_max_num_queries
):
    _read(round_, readers, 3)
    url = reverse("reviews:scores", args=[round_.pk])
    staff_client.get(url)  # the session's first request writes it

    def counted_then_cached():
        """The queries of a visit that counts (nothing in the cache), then of one that reads the cache."""
        cache.clear()
        with django_assert_max_num_queries(30) as counting:
            staff_client.get(url)
        with django_assert_max_num_queries(15) as cached:
            response = staff_client.get(url)
        return len(counting.captured_queries), len(cached.captured_queries), response

    small_counting, small_cached, _ = counted_then_cached()
    _read(round_, readers, 17)
    large_counting, large_cached, response = counted_then_cached()

    assert (large_counting, large_cached) == (small_counting, small_cached)
    assert large_cached < large_counting
    progress = response.context["progress"]
    assert (progress.total, progress.complete) == (20, 20)
    assert response.context["flagged_count"] == 20
    assert (response.context["readers"].readers, response.context["readers"].finished) == (4, 4)


def test_reconciling_makes_as_many_queries_with_more_readers_and_applications(
    staff_client, round_, readers, django_assert_max_num_queries
):
    flagged = _read(round_, readers, 2)[0]
    url = reverse("reviews:reconcile", args=[flagged.pk])

    def grow():
        _read(round_, readers, 8)
        for points in (30, 70):  # two more readers of this application
            scored_review(flagged, UserFactory(role="Readers"), [points])

    response = _same_count(staff_client, url, grow, django_assert_max_num_queries)

    assert len(response.context["comparison"].readings) == 5


def test_the_results_page_makes_as_many_queries_for_a_larger_round(
    client, round_, readers, django_assert_max_num_queries
):
    application = _read(round_, readers, 2)[0]
    round_.results_published_at = round_.opens_at
    round_.save(update_fields=["results_published_at"])
    client.force_login(contact_of(application.consortium))
    url = reverse("reviews:results", args=[application.pk])

    def grow():
        for _ in range(10):
            ApplicationScoreFactory(application__round=round_, rank=None)

    response = _same_count(client, url, grow, django_assert_max_num_queries, most=15)

    assert response.context["results"].ranked == ApplicationScore.objects.filter(rank__isnull=False).count()
