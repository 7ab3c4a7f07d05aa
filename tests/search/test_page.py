"""The search page: its form and landmarks, bad input answered with a message (never an error page), filters,
escaping, the link in the navigation, and a fixed number of queries whatever the number of results."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, FundingCategoryFactory, ProgramOfStudyFactory, RoundFactory

from .helpers import application, indexed

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def test_it_asks_to_sign_in(client):
    response = client.get(URL, {"q": "robotics"})

    assert response.status_code == 302 and "/accounts/" in response.url


def test_the_navigation_links_to_it(staff_client):
    assert f'href="{URL}"' in staff_client.get(reverse("dashboard")).text


def test_it_opens_with_a_labelled_form_and_no_results(staff_client):
    page = staff_client.get(URL).text

    assert '<form method="get" role="search" aria-label="Search applications"' in page
    assert "<legend" in page
    for field in ("q", "round", "status", "region", "sector", "category"):
        assert f'for="id_{field}"' in page and f'id="id_{field}"' in page
    assert "Results for" not in page


def test_it_shows_the_results_with_the_count_and_marked_titles(staff_client):
    app = application(title="Robotics <em>now</em>", summary="Robotics for grades 9-14.")
    indexed()

    page = staff_client.get(URL, {"q": "robotics"}).text

    assert "1 application matches" in page
    assert f'href="{app.get_absolute_url()}"><mark>Robotics</mark> &lt;em&gt;now&lt;/em&gt;</a>' in page
    assert '<h2 id="results-heading">' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a word, a &quot;quoted phrase&quot; or an application number to search for."),
        ({"q": "   "}, "Type a word, a &quot;quoted phrase&quot; or an application number to search for."),
        ({"q": "!!! ((( \"' -"}, "Nothing to search for: use letters or numbers"),
        ({"q": "pathways " * 40}, "Keep the search to 200 characters or fewer (this one has 359)."),
        ({"q": "robotics", "round": "abc"}, "Select a valid choice."),
        ({"q": "robotics", "status": "<script>"}, "Select a valid choice."),
        ({"q": "robotics\x00"}, "invisible control characters"),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field(staff_client, params, message):
    response = staff_client.get(URL, params)

    assert response.status_code == 200
    assert message in response.text
    assert "Results for" not in response.text


@pytest.mark.parametrize("text", ["the", "a & b | c", "robotics )(", "'; select 1; --", '"unclosed phrase', "-"])
def test_odd_but_valid_queries_show_a_page(staff_client, text):
    application(title="Robotics")
    indexed()

    assert staff_client.get(URL, {"q": text}).status_code == 200


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
def test_a_page_number_out_of_range_shows_a_page(staff_client, page):
    application(title="Robotics")
    indexed()

    assert staff_client.get(URL, {"q": "robotics", "page": page}).status_code == 200


def test_filters_narrow_the_results(staff_client):
    from consortia.models import Region

    north, south = Region.objects.order_by("pk")[:2]
    round_ = RoundFactory()
    category = FundingCategoryFactory(round=round_)
    wanted = application(title="Robotics", round=round_, category=category, consortium__region=north)
    ProgramOfStudyFactory(application=wanted, sector="manufacturing")
    others = [
        application(title="Robotics"),  # another round
        application(title="Robotics", round=round_, consortium__region=south),  # another region and category
        application(title="Robotics", round=round_, category=category, status="draft", consortium__region=north),
    ]
    ProgramOfStudyFactory(application=others[2], sector="manufacturing")
    indexed()
    params = {"q": "robotics", "round": round_.pk, "status": "submitted", "region": north.pk}

    def numbers(**more):
        context = staff_client.get(URL, params | more).context
        return [r.application.number for r in context["results"]]

    assert numbers() == [wanted.number]
    assert numbers(category=category.pk, sector="manufacturing") == [wanted.number]
    assert numbers(sector="health") == []
    assert len(numbers(round="", status="", region="")) == 4


def _applications(count: int, round_, category):
    for _ in range(count):
        app = ApplicationFactory(
            round=round_, category=category, status="submitted", title="Robotics", summary="Robotics labs."
        )
        ProgramOfStudyFactory(application=app)
    indexed()


def test_the_results_page_makes_the_same_queries_for_one_result_or_a_full_page(staff_client, django_assert_num_queries):
    round_ = RoundFactory()
    category = FundingCategoryFactory(round=round_)
    _applications(1, round_, category)
    staff_client.get(URL, {"q": "robotics"})  # the session's first read
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(URL, {"q": "robotics", "sector": "health"}).status_code == 200

    _applications(24, round_, category)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(URL, {"q": "robotics", "sector": "health"})
    assert len(response.context["results"]) == 20
    assert len(one.captured_queries) <= 8
