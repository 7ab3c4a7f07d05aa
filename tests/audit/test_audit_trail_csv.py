"""The audit trail as CSV for auditors: the filtered events, ISO 8601 times, cells a spreadsheet never runs."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from tests.factories import EventFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:events-csv")
PACIFIC = ZoneInfo("America/Los_Angeles")


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_file_holds_the_filtered_events_newest_first_with_iso_times(admin_client):
    program = ProgramFactory()
    kim = UserFactory(email="kim@cde.ca.gov", first_name="Kim", last_name="Lee")
    EventFactory(
        at=datetime(2026, 12, 1, 17, 0, tzinfo=PACIFIC),
        actor=kim,
        action=Event.Action.SETTING_CHANGE,
        obj=program,
        summary="Set-aside percentage: 1% → 0.5%.",
        ip_address="198.51.100.4",
    )
    EventFactory(at=datetime(2026, 7, 1, 9, 30, tzinfo=PACIFIC), actor=kim, action=Event.Action.SIGN_IN)
    EventFactory(actor__email="someone@example.org")

    response = admin_client.get(URL, {"who": "kim@"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    first, second = rows(response)
    assert first == {
        "When (ISO 8601, Pacific)": "2026-12-01T17:00:00-08:00",
        "Who": "kim@cde.ca.gov",
        "Person's current name": "Kim Lee",
        "What": "Setting changed",
        "Action code": "setting_change",
        "Kind of object": "program",
        "Object id": str(program.pk),
        "Object": program.name,
        "Summary": "Set-aside percentage: 1% → 0.5%.",
        "Address": "198.51.100.4",
        "Browser": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
        "Through": "",
    }
    assert second["When (ISO 8601, Pacific)"] == "2026-07-01T09:30:00-07:00"  # summer: daylight time
    assert second["Kind of object"] == second["Object"] == ""


def test_text_that_a_spreadsheet_would_run_is_escaped(admin_client):
    EventFactory(
        actor=None,
        actor_label='=HYPERLINK("http://evil.example","x")',
        action=Event.Action.SIGN_IN_FAILED,
        summary="+1 attempts",
    )

    [row] = rows(admin_client.get(URL))

    assert row["Who"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Summary"] == "'+1 attempts"


def test_a_wrong_filter_shows_the_page_with_the_message_instead_of_a_file(admin_client):

    response = admin_client.get(URL, {"since": "2026-13-45"})

    assert response.status_code == 400
    assert "Enter a date, for example 2026-12-01." in response.content.decode()
