"""A nightly pull fetches only what changed: ?modified_since= on awards and reports, and ETag / Last-Modified on
one of them, moved by a payment of the award or a status change of the report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.awards.models import Award
from grants.payments.models import Payment
from grants.reporting.models import ProgressReport
from tests.api.conftest import api, fill

pytestmark = pytest.mark.django_db


def test_modified_since_returns_the_awards_changed_since_then(people):
    client = api(people.staff)
    long_ago = timezone.now() - timedelta(days=30)
    Award.objects.update(updated_at=long_ago)
    since = (long_ago + timedelta(days=1)).isoformat()

    assert client.get("/api/v1/awards/", {"modified_since": since}).json()["count"] == 0
    Payment.objects.create(award=people.a.award, fiscal_year="2026-27", amount="1000.00")

    [changed] = client.get("/api/v1/awards/", {"modified_since": since}).json()["results"]
    assert changed["id"] == people.a.award.pk
    assert changed["ledger"]["scheduled"] == "1000.00"


def test_a_bad_modified_since_is_a_400_not_a_500(people):
    response = api(people.staff).get("/api/v1/awards/", {"modified_since": "yesterday"})

    assert response.status_code == 400
    assert "modified_since" in response.json()


def test_an_award_answers_304_until_it_changes(people):
    client = api(people.a.lead)
    path = f"/api/v1/awards/{people.a.award.pk}/"
    first = client.get(path)

    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    Payment.objects.create(award=people.a.award, fiscal_year="2026-27", amount="1000.00")
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_a_status_change_moves_the_reports_modified_time(people):
    report = people.a.report()
    fill(report, people.a.lead)
    ProgressReport.objects.update(updated_at=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    client = api(people.a.lead)
    assert client.get("/api/v1/reports/", {"modified_since": since}).json()["count"] == 0

    client.post(f"/api/v1/reports/{report.pk}/submit/")

    [changed] = client.get("/api/v1/reports/", {"modified_since": since}).json()["results"]
    assert changed["id"] == report.pk and changed["status"] == "submitted"
