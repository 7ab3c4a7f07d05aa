"""The CSV export of a round's submissions: the same filtered rows as the list, streamed."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Region
from tests.factories import ConsortiumFactory, OrganizationFactory, ProgramOfStudyFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory(name="Round 2", code="R2")


def _csv(client, round_, **params):
    response = client.get(reverse("applications:submissions-csv", args=[round_.pk]), params)
    assert response.status_code == 200
    assert response.streaming
    return response, list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_has_a_header_and_a_row_per_application(client, staff_user, round_, make_submitted):
    lead = OrganizationFactory(name="Sacramento County Office of Education", kind="county_office")
    make_submitted(
        number="R2-0007",
        title="Health pathways",
        consortium=ConsortiumFactory(
            name="Capital Region Academies", lead_agency=lead, region=Region.objects.get(name="Los Angeles")
        ),
        requested_amount=Decimal("1234567.89"),
        submitted_at=datetime(2026, 3, 29, 6, 30, tzinfo=UTC),
        complete=False,
    )
    client.force_login(staff_user)

    response, rows = _csv(client, round_)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="R2-submissions.csv"'
    assert rows[0] == [
        "Application number",
        "Project title",
        "Consortium",
        "Lead agency",
        "Region",
        "Funding category",
        "Amount requested",
        "Status",
        "Submitted at (Pacific)",
        "Screening result",
        "Checks failed",
    ]
    assert rows[1:] == [
        [
            "R2-0007",
            "Health pathways",
            "Capital Region Academies",
            "Sacramento County Office of Education",
            "Los Angeles",
            "Up to $1 million",
            "1234567.89",
            "Submitted",
            "2026-03-28T23:30:00-07:00",
            "Failed screening",
            "2",  # incomplete, and above the category's maximum
        ]
    ]


def test_the_export_holds_the_same_filtered_rows_as_the_list(client, staff_user, round_, make_submitted):
    make_submitted(number="R2-0001", title="Aviation", requested_amount=Decimal("300000"))
    make_submitted(number="R2-0002", title="Aviation", requested_amount=Decimal("100000"))
    make_submitted(number="R2-0003", title="Health")
    client.force_login(staff_user)
    params = {"q": "aviation", "sort": "requested", "page": "2"}

    _, rows = _csv(client, round_, **params)

    listed = client.get(reverse("applications:submissions", args=[round_.pk]), {"q": "aviation", "sort": "requested"})
    assert [row[0] for row in rows[1:]] == [a.number for a in listed.context["page"].object_list]
    assert [row[0] for row in rows[1:]] == ["R2-0002", "R2-0001"]


def test_a_text_that_looks_like_a_formula_is_neutralised(client, staff_user, round_, make_submitted):
    make_submitted(title='=HYPERLINK("http://evil.example")')
    client.force_login(staff_user)

    _, rows = _csv(client, round_)

    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


def test_the_list_page_links_to_the_export_with_its_filters(client, staff_user, round_):
    client.force_login(staff_user)

    page = client.get(reverse("applications:submissions", args=[round_.pk]), {"q": "x", "page": "1"}).content.decode()

    assert f'href="{reverse("applications:submissions-csv", args=[round_.pk])}?q=x"' in page


def test_the_export_runs_the_same_queries_for_10_or_60_rows(
    client, staff_user, round_, make_submitted, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            ProgramOfStudyFactory(application=make_submitted(complete=False), sector="ict")

    client.force_login(staff_user)
    add(10)
    with CaptureQueriesContext(connection) as ten:
        _, rows = _csv(client, round_, sector="ict")
    assert len(rows) == 11
    add(50)
    with django_assert_num_queries(len(ten)):
        _, rows = _csv(client, round_, sector="ict")
    assert len(rows) == 61


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
def test_applicants_and_readers_are_refused(client, round_, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("applications:submissions-csv", args=[round_.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, round_):
    response = client.get(reverse("applications:submissions-csv", args=[round_.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_round_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("applications:submissions-csv", args=[424242])).status_code == 404
