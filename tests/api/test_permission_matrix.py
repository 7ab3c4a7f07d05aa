"""Who sees what through the API: the site's rules, role by role (anonymous, consortium A's lead, consortium B's
lead, a reader, program staff, an administrator), on every list and on one object of each kind."""

from decimal import Decimal

import pytest
from django.test import Client

from grants.reviews.models import ApplicationScore
from tests.api.conftest import api
from tests.factories import ApplicationScoreFactory

pytestmark = pytest.mark.django_db

LISTS = ["consortia", "applications", "awards", "indicators", "indicator-values", "reports"]


def client_of(people, role):
    if role == "anonymous":
        return Client()
    return api({"a": people.a.lead, "b": people.b.lead}.get(role) or getattr(people, role))


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_anyone_reads_programs_and_rounds_without_a_token(people):
    assert Client().get("/api/v1/programs/").json()["count"] == 1
    [round_] = Client().get("/api/v1/rounds/").json()["results"]
    assert round_["status"]["customValue"] == "decided"
    assert round_["funding"]["totalAmountAvailable"]["currency"] == "USD"


def test_a_draft_round_is_for_program_staff_only(people):
    round_ = people.a.award.round
    type(round_).objects.filter(pk=round_.pk).update(status="draft")

    assert Client().get("/api/v1/rounds/").json()["count"] == 0
    assert api(people.a.lead).get("/api/v1/rounds/").json()["count"] == 0
    assert api(people.staff).get("/api/v1/rounds/").json()["count"] == 1


@pytest.mark.parametrize("path", LISTS)
def test_everything_else_needs_a_token(people, path):
    response = Client().get(f"/api/v1/{path}/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("role", ["staff", "administrator"])
def test_program_staff_and_administrators_see_every_consortium_application_award_and_report(people, role):
    people.a.report(), people.b.report()
    client = client_of(people, role)

    assert ids(client.get("/api/v1/consortia/")) == {people.a.consortium.pk, people.b.consortium.pk}
    assert ids(client.get("/api/v1/awards/")) == {people.a.award.pk, people.b.award.pk}
    assert len(ids(client.get("/api/v1/applications/"))) == 2
    assert client.get("/api/v1/reports/").json()["count"] == 4
    assert client.get("/api/v1/indicators/").json()["count"] > 0


def test_a_consortium_sees_its_own_and_is_refused_the_other(people):
    people.a.report(), people.b.report()
    client = client_of(people, "a")

    assert ids(client.get("/api/v1/consortia/")) == {people.a.consortium.pk}
    assert ids(client.get("/api/v1/awards/")) == {people.a.award.pk}
    assert ids(client.get("/api/v1/applications/")) == {people.a.award.application_id}
    assert {r["award"] for r in client.get("/api/v1/reports/").json()["results"]} == {people.a.award.pk}
    assert client.get("/api/v1/indicators/").json()["count"] == 0  # definitions are staff's; reports list their asks

    assert client.get(f"/api/v1/awards/{people.b.award.pk}/").status_code == 403
    assert client.get(f"/api/v1/consortia/{people.b.consortium.pk}/").status_code == 403
    assert client.get(f"/api/v1/applications/{people.b.award.application_id}/").status_code == 403
    assert client.get(f"/api/v1/reports/{people.b.report().pk}/").status_code == 403
    assert client.get(f"/api/v1/awards/{people.a.award.pk}/").status_code == 200
    assert client.get("/api/v1/awards/999999/").status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_a_reader_sees_nothing_of_consortia_awards_or_reports(people, path):
    people.a.report()

    assert client_of(people, "reader").get(f"/api/v1/{path}/").json()["count"] == 0


def test_an_administrator_is_refused_what_only_a_consortium_does(people):
    report = people.a.report()
    response = client_of(people, "administrator").post(
        f"/api/v1/reports/{report.pk}/values/", {"values": []}, content_type="application/json"
    )

    assert response.status_code == 403


def test_scores_are_never_shown_to_the_consortium_before_results_are_published(people):
    application = people.a.award.application
    ApplicationScoreFactory(application=application, round=application.round, final=Decimal("88.50"), rank=1)
    path = f"/api/v1/applications/{application.pk}/"

    assert api(people.a.lead).get(path).json()["result"] is None
    assert api(people.staff).get(path).json()["result"]["final"] == "88.50"

    round_ = application.round
    type(round_).objects.filter(pk=round_.pk).update(results_published_at="2026-06-01T00:00:00Z")
    assert api(people.a.lead).get(path).json()["result"]["final"] == "88.50"
    assert ApplicationScore.objects.count() == 1
