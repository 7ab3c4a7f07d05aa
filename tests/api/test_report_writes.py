"""A consortium pushes a report's values and submits it through the API; staff accept or return it. The site's
services do the work (bad values are named, nothing half-saved), and the audit trail names the token."""

import pytest

from ccpt.audit.models import Event
from grants.reporting.models import ProgressReport, ReportComment, ReportValue
from tests.api.conftest import api, fill

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_the_lead_agency_pushes_values_and_the_audit_trail_names_the_token(people):
    report = people.a.report()
    client = api(people.a.lead)
    body = {"values": [{"organization": people.a.district.pk, "indicator": "cte-concentrators", "value": "42"}]}

    response = client.post(f"/api/v1/reports/{report.pk}/values/", body, content_type=JSON)

    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 1, "cleared": 0}
    assert ReportValue.objects.get(report=report, organization=people.a.district).value == 42
    event = Event.objects.get(action=Event.Action.DATA_ENTRY)
    assert event.actor == people.a.lead and event.object_id == report.pk
    assert event.via.startswith("API token #") and "Test token" in event.via


def test_bad_values_are_named_and_nothing_is_saved(people):
    report = people.a.report()
    body = {
        "values": [
            {"organization": people.a.district.pk, "indicator": "cte-concentrators", "value": "5"},
            {"organization": people.a.district.pk, "indicator": "no-such-indicator", "value": "5"},
        ]
    }

    response = api(people.a.lead).post(f"/api/v1/reports/{report.pk}/values/", body, content_type=JSON)

    assert response.status_code == 400
    assert "no-such-indicator" in str(response.json()["errors"])
    assert not ReportValue.objects.filter(report=report).exists()


@pytest.mark.parametrize("body", [[], {"values": "x"}, {"values": [{"organization": "a", "indicator": ""}]}, "x"])
def test_malformed_input_is_a_400_with_field_messages(people, body):
    report = people.a.report()

    response = api(people.a.lead).post(f"/api/v1/reports/{report.pk}/values/", body, content_type=JSON)

    assert response.status_code == 400


def test_a_data_manager_enters_only_their_own_organization(people):
    report = people.a.report()
    body = {"values": [{"organization": people.a.college.pk, "indicator": "cte-concentrators", "value": "5"}]}

    response = api(people.a.district_manager).post(f"/api/v1/reports/{report.pk}/values/", body, content_type=JSON)

    assert response.status_code == 400
    assert "your own organization" in str(response.json()["errors"])


def test_submitting_an_incomplete_report_says_what_is_missing(people):
    report = people.a.report()

    response = api(people.a.lead).post(f"/api/v1/reports/{report.pk}/submit/")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The report was not submitted.")


def test_submitted_then_accepted_by_staff_with_both_in_the_audit_trail(people):
    report = people.a.report()
    fill(report, people.a.lead)

    submitted = api(people.a.lead).post(f"/api/v1/reports/{report.pk}/submit/")
    assert api(people.b.lead).post(f"/api/v1/reports/{report.pk}/accept/").status_code == 403
    accepted = api(people.staff).post(f"/api/v1/reports/{report.pk}/accept/", {"comment": "Fine."}, content_type=JSON)

    assert submitted.json()["status"] == "submitted" and accepted.json()["status"] == "accepted"
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED
    changes = Event.objects.filter(action=Event.Action.STATUS_CHANGE, object_id=report.pk).order_by("at")
    assert [e.via.startswith("API token #") for e in changes] == [True, True]


def test_staff_return_a_report_with_a_comment(people):
    report = people.a.report()
    fill(report, people.a.lead)
    api(people.a.lead).post(f"/api/v1/reports/{report.pk}/submit/")
    client = api(people.staff)

    assert client.post(f"/api/v1/reports/{report.pk}/return/", {}, content_type=JSON).status_code == 400
    response = client.post(f"/api/v1/reports/{report.pk}/return/", {"comment": "Add rates."}, content_type=JSON)

    assert response.json()["status"] == "returned"


def test_staff_comment_on_one_value_and_an_unknown_item_is_named(people):
    report = people.a.report()
    fill(report, people.a.lead)
    api(people.a.lead).post(f"/api/v1/reports/{report.pk}/submit/")
    client = api(people.staff)
    item = f"value:{people.a.district.pk}:cte-concentrators"

    unknown = client.post(
        f"/api/v1/reports/{report.pk}/return/", {"items": [{"item": "value:0:x", "comment": "?"}]}, content_type=JSON
    )
    response = client.post(
        f"/api/v1/reports/{report.pk}/return/",
        {"items": [{"item": item, "comment": "Count concentrators only once."}]},
        content_type=JSON,
    )

    assert unknown.status_code == 400 and "value:0:x" in unknown.content.decode()
    assert response.status_code == 200 and response.json()["status"] == "returned"
    comment = ReportComment.objects.get(version__report=report)
    assert (comment.item, comment.text) == (item, "Count concentrators only once.")


def test_the_lead_agency_changes_the_answers_in_words(people):
    report = people.a.report()

    response = api(people.a.lead).patch(
        f"/api/v1/reports/{report.pk}/", {"progress": "Three pathways."}, content_type=JSON
    )

    assert response.status_code == 200
    assert response.json()["progress"] == "Three pathways."
    assert (
        api(people.a.district_manager)
        .patch(f"/api/v1/reports/{report.pk}/", {"progress": "x"}, content_type=JSON)
        .status_code
        == 403
    )
