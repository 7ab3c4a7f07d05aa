"""The staff list of a round's submissions: columns, filters, search, sort, pages, permissions, query count."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Region
from grants.applications.models import Application
from tests.factories import (
    ConsortiumFactory,
    FundingCategoryFactory,
    OrganizationFactory,
    ProgramOfStudyFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory(name="Round 2")


def _list(client, round_, **params):
    return client.get(reverse("applications:submissions", args=[round_.pk]), params)


def _numbers(response):
    return [a.number for a in response.context["page"].object_list]


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_row_shows_every_column(staff, round_, make_submitted):
    lead = OrganizationFactory(name="Sacramento County Office of Education", kind="county_office")
    consortium = ConsortiumFactory(
        name="Capital Region Academies", lead_agency=lead, region=Region.objects.get(name="North/Far North")
    )
    make_submitted(
        consortium=consortium,
        number="R2-0007",
        title="Health pathways",
        requested_amount=Decimal("987654.32"),
        submitted_at=datetime(2026, 3, 29, 6, 30, tzinfo=UTC),
        complete=False,
    )

    response = _list(staff, round_)

    assert response.status_code == 200
    [row] = response.context["page"].object_list
    assert (row.screening, row.checks_failed) == ("failed", 1)
    page = response.content.decode()
    for text in [
        "R2-0007",
        "Health pathways",
        "Capital Region Academies",
        "Sacramento County Office of Education",
        "North/Far North",
        "Up to $1 million",
        "$987,654.32",
        "March 28, 2026, 11:30 PM PDT",
        "Failed</span>",
    ]:
        assert text in page
    assert reverse("applications:submission-screening", args=[row.submission_id]) in page


def test_it_lists_only_this_rounds_submitted_applications_by_default(staff, round_, make_submitted):
    make_submitted(number="R2-0001")
    make_submitted(number="R2-0002", status=Application.Status.WITHDRAWN, screened=False)
    draft = make_submitted(number="R2-0003", status="draft", screened=False)
    other_round = RoundFactory()
    make_submitted(round_=other_round, category=FundingCategoryFactory(round=other_round), number="R3-0001")

    assert _numbers(_list(staff, round_)) == ["R2-0001"]
    assert _numbers(_list(staff, round_, status="withdrawn")) == ["R2-0002"]
    assert _numbers(_list(staff, round_, status="draft")) == [draft.number]
    assert _numbers(_list(staff, round_, status="")) == ["R2-0001", "R2-0002", "R2-0003"]


def test_the_category_filter_narrows_the_rows(staff, round_, make_submitted):
    other = FundingCategoryFactory(round=round_, name="Up to $6 million")
    make_submitted(number="R2-0001")
    make_submitted(category=other, number="R2-0002")

    assert _numbers(_list(staff, round_, category=other.pk)) == ["R2-0002"]


def test_the_region_filter_narrows_the_rows(staff, round_, make_submitted):
    los_angeles = Region.objects.get(name="Los Angeles")
    make_submitted(number="R2-0001")
    make_submitted(number="R2-0002", consortium=ConsortiumFactory(region=los_angeles))

    assert _numbers(_list(staff, round_, region=los_angeles.pk)) == ["R2-0002"]


def test_the_sector_filter_finds_any_program_in_the_sector_once(staff, round_, make_submitted):
    make_submitted(number="R2-0001")  # health
    ict = make_submitted(number="R2-0002")
    ProgramOfStudyFactory(application=ict, sector="ict")
    ProgramOfStudyFactory(application=ict, sector="ict")

    assert _numbers(_list(staff, round_, sector="ict")) == ["R2-0002"]
    assert _numbers(_list(staff, round_, sector="health")) == ["R2-0001", "R2-0002"]
    assert _numbers(_list(staff, round_, sector="transportation")) == []


def test_the_screening_filter_narrows_the_rows(staff, round_, make_submitted):
    make_submitted(number="R2-0001")
    make_submitted(number="R2-0002", complete=False)
    make_submitted(number="R2-0003", screened=False)

    assert _numbers(_list(staff, round_, screening="passed")) == ["R2-0001"]
    assert _numbers(_list(staff, round_, screening="failed")) == ["R2-0002"]
    assert _numbers(_list(staff, round_, screening="pending")) == ["R2-0003"]


@pytest.mark.parametrize(
    "query", ["R2-0777", "r2-0777", "Aviation Maintenance", "Inland Aerospace Partnership", "Riverside Unified"]
)
def test_search_finds_number_title_consortium_and_lead_agency(staff, round_, make_submitted, query):
    lead = OrganizationFactory(name="Riverside Unified School District")
    make_submitted(
        number="R2-0777",
        title="Aviation Maintenance Technicians",
        consortium=ConsortiumFactory(name="Inland Aerospace Partnership", lead_agency=lead),
    )
    make_submitted(number="R2-0001", title="Health pathways")

    assert _numbers(_list(staff, round_, q=query)) == ["R2-0777"]


def test_search_and_filters_combine(staff, round_, make_submitted):
    make_submitted(number="R2-0001", title="Aviation")
    make_submitted(number="R2-0002", title="Aviation", complete=False)

    assert _numbers(_list(staff, round_, q="aviation", screening="failed")) == ["R2-0002"]


def test_rows_sort_by_number_amount_or_submission_time(staff, round_, make_submitted):
    make_submitted(
        number="R2-0001",
        requested_amount=Decimal("300000"),
        submitted_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    make_submitted(
        number="R2-0002",
        requested_amount=Decimal("100000"),
        submitted_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    make_submitted(
        number="R2-0003",
        requested_amount=Decimal("200000"),
        submitted_at=datetime(2026, 3, 1, tzinfo=UTC),
    )

    assert _numbers(_list(staff, round_)) == ["R2-0001", "R2-0002", "R2-0003"]
    assert _numbers(_list(staff, round_, sort="requested")) == ["R2-0002", "R2-0003", "R2-0001"]
    assert _numbers(_list(staff, round_, sort="-requested")) == ["R2-0001", "R2-0003", "R2-0002"]
    assert _numbers(_list(staff, round_, sort="submitted")) == ["R2-0003", "R2-0001", "R2-0002"]
    assert _numbers(_list(staff, round_, sort="-number")) == ["R2-0003", "R2-0002", "R2-0001"]


def test_a_bad_filter_value_is_explained_not_a_crash(staff, round_, make_submitted):
    make_submitted(number="R2-0001")

    response = _list(staff, round_, category="999999", sector="basket-weaving", page="x")

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert "Select a valid choice" in errors["category"][0]
    assert "Select a valid choice" in errors["sector"][0]
    assert _numbers(response) == ["R2-0001"]


def test_pages_hold_fifty_rows_and_links_keep_the_filters(staff, round_, make_submitted):
    for n in range(52):
        make_submitted(screened=False, number=f"R2-{n:04d}", title="Aviation")

    first = _list(staff, round_, q="aviation", sort="-number")
    second = _list(staff, round_, q="aviation", sort="-number", page=2)

    assert len(first.context["page"].object_list) == 50
    assert _numbers(second) == ["R2-0001", "R2-0000"]
    assert 'href="?q=aviation&amp;sort=-number&amp;page=2"' in first.content.decode()
    assert 'href="?q=aviation&amp;sort=-number&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
def test_applicants_and_readers_are_refused(client, round_, role, request):
    client.force_login(request.getfixturevalue(role))

    assert _list(client, round_).status_code == 403


def test_administrators_may_see_the_list(client, round_, admin_user):
    client.force_login(admin_user)

    assert _list(client, round_).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, round_):
    response = _list(client, round_)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_round_is_not_found(staff):
    assert staff.get(reverse("applications:submissions", args=[424242])).status_code == 404


def _add_rows(make_submitted, count):
    for _ in range(count):
        application = make_submitted(complete=False)
        ProgramOfStudyFactory(application=application, sector="ict")


def test_the_list_runs_the_same_queries_for_10_or_60_rows(staff, round_, make_submitted, django_assert_num_queries):
    params = {"status": "", "q": "Pathways", "sector": "ict", "sort": "-requested"}
    _add_rows(make_submitted, 10)
    with CaptureQueriesContext(connection) as ten:
        assert len(_list(staff, round_, **params).context["page"].object_list) == 10
    assert len(ten) <= 12

    _add_rows(make_submitted, 50)
    with django_assert_num_queries(len(ten)):
        response = _list(staff, round_, **params)
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50
