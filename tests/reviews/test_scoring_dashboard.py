"""The staff score dashboard and the ranked list: progress, flags, charts, filters, CSV, recompute."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consortia.models import Region
from grants.reviews.models import ApplicationScore, Review
from grants.reviews.services.reviews import save_review
from grants.reviews.services.scoring import score_round
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    AssignmentFactory,
    ConsortiumFactory,
    CriterionFactory,
    FundingCategoryFactory,
    ProgramOfStudyFactory,
    RoundFactory,
    UserFactory,
    scored_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(role="Program staff")
    client.login(email=user.email, password=PASSWORD)
    return user


@pytest.fixture
def scored_round():
    """Two regions, two categories; readers Ann (2 submitted) and Ben (1 submitted, 1 draft), one unread app."""
    round_ = RoundFactory(rank_by="mean", discrepancy_threshold=Decimal("15"), readers_per_application=2)
    CriterionFactory(round=round_, max_points=Decimal("100"))
    north, south = Region.objects.order_by("position")[:2]
    large = FundingCategoryFactory(round=round_, name="Large grants")
    small = FundingCategoryFactory(round=round_, name="Small grants")
    ann = UserFactory(role="Readers", first_name="Ann", last_name="Archer")
    ben = UserFactory(role="Readers", first_name="Ben", last_name="Baker")

    def application(number, region, category, sector):
        app = ApplicationFactory(
            round=round_,
            number=number,
            status="submitted",
            category=category,
            consortium=ConsortiumFactory(name=f"Consortium {number}", region=region),
        )
        ProgramOfStudyFactory(application=app, sector=sector)
        return app

    agreed = application("R-001", north, large, "health")
    split = application("R-002", south, small, "ict")
    application("R-003", south, large, "health")
    scored_review(agreed, ann, [80])
    scored_review(agreed, ben, [76])
    scored_review(split, ann, [30])
    scored_review(split, ben, [90], status="draft")
    score_round(round_id=round_.pk)
    return round_


def test_the_dashboard_shows_progress_flags_charts_and_the_method(client, staff, scored_round):
    page = client.get(reverse("reviews:scores", args=[scored_round.pk])).content.decode()

    assert "2 readers in this round: 1 with every review submitted, 1 with reviews still to submit" in page
    assert "Ben Baker" in page and "Ann Archer" not in page  # only readers with reviews left are listed
    assert "1 with every needed review submitted" in page
    assert "1 with some reviews submitted" in page and "1 with no review submitted" in page
    assert "How scores are made" in page and "z = (total − the reader's mean)" in page
    assert "Distribution of final scores" in page and "Mean final score by region" in page
    assert "Recompute scores" in page and "Scores last computed" in page


def test_reader_progress_counts_assigned_attested_and_submitted(client, staff, scored_round):
    response = client.get(reverse("reviews:scores", args=[scored_round.pk]))

    readers = response.context["readers"]
    assert (readers.readers, readers.finished, readers.outstanding) == (2, 1, 1)
    [ben] = response.context["behind"]
    assert ben["reader"].first_name == "Ben"
    assert (ben["left"], ben["assigned"], ben["attested"], ben["submitted"], ben["ended"]) == (1, 2, 2, 1, 0)


def test_readers_most_behind_come_first_and_the_list_stops_at_25(client, staff):
    round_ = RoundFactory()
    readers = [UserFactory(role="Readers", first_name=f"Reader {n:02}") for n in range(27)]
    for n, reader in enumerate(readers):
        for _ in range(1 + n % 3):  # 1, 2 or 3 reviews left each
            AssignmentFactory(reader=reader, application=ApplicationFactory(round=round_, status="submitted"))

    response = client.get(reverse("reviews:scores", args=[round_.pk]))

    behind = response.context["behind"]
    assert len(behind) == 25
    assert [row["left"] for row in behind] == sorted((row["left"] for row in behind), reverse=True)
    assert behind[0]["left"] == 3
    assert "(the first 25 of 27)" in response.content.decode()


def test_a_change_shows_at_the_next_visit_and_a_visit_without_one_counts_nothing_again(client, staff, scored_round):
    url = reverse("reviews:scores", args=[scored_round.pk])
    assert "1 with some reviews submitted" in client.get(url).content.decode()

    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert not [q for q in again.captured_queries if "GROUP BY" in q["sql"]], "counted again without a change"

    # Ben submits his draft review of R-002: both of its reviews are in.
    review = Review.objects.get(assignment__application__number="R-002", status="draft")
    save_review(assignment=review.assignment, by=review.assignment.reader, data={}, submit=True)

    page = client.get(url).content.decode()
    assert "2 with every needed review submitted" in page
    assert "2 readers in this round: 2 with every review submitted, 0 with reviews still to submit" in page


def test_the_charts_data_is_in_tables(client, staff, scored_round):
    response = client.get(reverse("reviews:scores", args=[scored_round.pk]))

    histogram = {bar.label: bar.value for bar in response.context["distribution"]}
    assert histogram["70.00–80.00"] == 1 and histogram["30.00–40.00"] == 1 and sum(histogram.values()) == 2
    regions = [(bar.label, bar.value, bar.count) for bar in response.context["regions"]]
    north, south = Region.objects.order_by("position")[:2]
    assert regions == [(north.name, Decimal("78.00"), 1), (south.name, Decimal("30.00"), 1)]
    page = response.content.decode()
    assert '<td class="text-end" data-value="78.00">78.00</td>' in page


def test_the_dashboard_lists_flagged_applications_with_a_link_to_reconcile(client, staff, scored_round):
    flagged_round = RoundFactory(discrepancy_threshold=Decimal("10"))
    CriterionFactory(round=flagged_round, max_points=Decimal("100"))
    application = ApplicationFactory(round=flagged_round, status="submitted", number="F-001")
    scored_review(application, UserFactory(role="Readers"), [20])
    scored_review(application, UserFactory(role="Readers"), [90])
    score_round(round_id=flagged_round.pk)

    page = client.get(reverse("reviews:scores", args=[flagged_round.pk])).content.decode()

    assert reverse("reviews:reconcile", args=[application.pk]) in page
    assert "70.00" in page  # the spread


def test_recompute_enqueues_the_scoring_task(client, staff, scored_round, django_capture_on_commit_callbacks):
    ApplicationScore.objects.filter(round=scored_round).delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:scores-recompute", args=[scored_round.pk]))

    assert response.status_code == 302
    assert ApplicationScore.objects.filter(round=scored_round).count() == 3


def test_the_ranked_list_shows_every_column_in_rank_order(client, staff, scored_round):
    response = client.get(reverse("reviews:scores-ranking", args=[scored_round.pk]))

    rows = list(response.context["page"].object_list)
    assert [row.application.number for row in rows] == ["R-001", "R-002", "R-003"]
    page = response.content.decode()
    assert "2 of 2" in page and "78.00" in page and "Large grants" in page


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"category": "small"}, ["R-002"]),
        ({"region": "south"}, ["R-002", "R-003"]),
        ({"sector": "health"}, ["R-001", "R-003"]),
        ({"show": "waiting"}, ["R-002", "R-003"]),
        ({"show": "fundable"}, ["R-001", "R-002"]),
    ],
)
def test_the_ranked_list_filters(client, staff, scored_round, query, numbers):
    south = Region.objects.order_by("position")[1]
    values = {"small": scored_round.categories.get(name="Small grants").pk, "south": south.pk}
    params = {key: values.get(value, value) for key, value in query.items()}

    response = client.get(reverse("reviews:scores-ranking", args=[scored_round.pk]), params)

    assert [row.application.number for row in response.context["page"].object_list] == numbers


def test_the_csv_has_the_filtered_ranked_rows(client, staff, scored_round):
    response = client.get(reverse("reviews:scores-csv", args=[scored_round.pk]), {"sector": "health"})

    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][:3] == ["Rank", "Category rank", "Application number"]
    assert [(line[0], line[2], line[6], line[8], line[14], line[15]) for line in lines[1:]] == [
        ("1", "R-001", "2", "78.00", "78.00", "yes"),
        ("", "R-003", "0", "", "", "no"),
    ]


def ranked_round(size: int):
    round_ = RoundFactory()
    now = timezone.now()
    for i in range(size):
        application = ApplicationFactory(round=round_, status="submitted")
        ProgramOfStudyFactory(application=application)
        ApplicationScore.objects.create(
            application=application,
            round=round_,
            readers=3,
            raw_mean=Decimal(50 + i),
            normalized=Decimal(50 + i),
            spread=Decimal("4"),
            bonus=Decimal("0"),
            final=Decimal(50 + i),
            fundable=True,
            rank=size - i,
            category_rank=1,
            computed_at=now,
        )
    return round_


def test_the_ranked_list_makes_the_same_number_of_queries_for_10_and_50_rows(client, staff):
    counts = []
    for size in (10, 50):
        round_ = ranked_round(size)
        url = reverse("reviews:scores-ranking", args=[round_.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"sector": "health"})
        assert len(response.context["page"].object_list) == size
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_dashboard_makes_the_same_number_of_queries_for_10_and_50_applications(client, staff):
    counts = []
    for size in (10, 50):
        round_ = ranked_round(size)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reviews:scores", args=[round_.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_bad_filter_value_is_explained_next_to_the_field_not_an_error_page(client, staff, scored_round):
    response = client.get(reverse("reviews:scores-ranking", args=[scored_round.pk]), {"category": "abc", "show": "x"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["filter"].form["category"].value() == "abc"
