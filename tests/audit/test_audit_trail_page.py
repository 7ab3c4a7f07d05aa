"""The administrator's audit trail page: every event newest first, filters, pagination, links, who may read it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from grants.programs.models import Appropriation
from tests.factories import EventFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:events")
UTC = ZoneInfo("UTC")


def rows(response) -> list[str]:
    """The table's body rows as plain text, one string per row, in page order."""
    page = response.content.decode()
    if "<tbody>" not in page:
        return []
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


def test_an_administrator_reads_every_event_newest_first_with_when_who_what_and_where(admin_client):
    now = timezone.now()
    sam = UserFactory(email="sam@example.org", first_name="Sam", last_name="Ortiz")
    EventFactory(at=now - timedelta(hours=2), actor=sam, summary="first thing")
    EventFactory(
        at=now - timedelta(hours=1),
        actor=None,
        actor_label="nobody@example.org",
        action=Event.Action.SIGN_IN_FAILED,
        ip_address="203.0.113.7",
    )
    EventFactory(at=at_pacific(2026, 12, 1, 17), actor=sam, action=Event.Action.SIGN_OUT, ip_address=None)

    response = admin_client.get(URL)

    assert response.status_code == 200
    shown = rows(response)
    assert len(shown) == 3
    assert "nobody@example.org" in shown[0] and "Sign-in failed" in shown[0] and "203.0.113.7" in shown[0]
    assert "Sam Ortiz" in shown[1] and "sam@example.org" in shown[1] and "first thing" in shown[1]
    assert "December 1, 2026, 5:00 PM PST" in shown[2] and "Signed out" in shown[2]
    assert "3 events match." in response.content.decode()


def at_pacific(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.mark.parametrize("role", ["staff_user", "reader_user", "applicant_user"])
def test_everyone_but_administrators_is_refused_the_page_the_file_and_the_links(client, request, role):
    program = ProgramFactory()
    event = EventFactory(obj=program)
    client.force_login(request.getfixturevalue(role))

    link = reverse("audit:object", args=[event.content_type_id, program.pk])
    for url in (URL, reverse("audit:events-csv"), link):
        assert client.get(url).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_main_navigation_offers_the_audit_trail_to_administrators_only(client, admin_user, staff_user):
    dashboard = reverse("dashboard")
    client.force_login(staff_user)
    assert URL not in client.get(dashboard).content.decode()
    client.force_login(admin_user)
    assert f'href="{URL}">Audit trail</a>' in client.get(dashboard).content.decode()


def summaries(client, **filters) -> list[str]:
    return [event.summary for event in client.get(URL, filters).context["page"].object_list]


def test_it_filters_by_person_action_kind_address_and_words(admin_client):
    program = ProgramFactory()
    appropriation = Appropriation.objects.filter(program=program).first()
    kim = UserFactory(email="kim@cde.ca.gov")
    EventFactory(actor=kim, obj=program, action=Event.Action.SETTING_CHANGE, summary="1% → 0.5%")
    EventFactory(actor=kim, ip_address="10.1.2.3", summary="kim signs in")
    EventFactory(actor__email="lee@example.org", obj=appropriation, action=Event.Action.MONEY, summary="Drew $5")
    EventFactory(
        actor=None,
        actor_label="KIM@cde.ca.gov",
        action=Event.Action.SIGN_IN_FAILED,
        ip_address="10.1.9.9",
        summary="wrong password",
    )
    money_kind = Event.objects.get(action="money").content_type_id

    assert summaries(admin_client, who="kim@cde") == ["wrong password", "kim signs in", "1% → 0.5%"]
    assert summaries(admin_client, who="kim", action="setting_change") == ["1% → 0.5%"]
    assert summaries(admin_client, kind=money_kind) == ["Drew $5"]
    assert summaries(admin_client, address="10.1.") == ["wrong password", "kim signs in"]
    assert summaries(admin_client, q="0.5%") == ["1% → 0.5%"]
    assert summaries(admin_client, q=program.name.split()[0]) == ["1% → 0.5%"]  # words of the object's label
    assert summaries(admin_client, q="DREW $5") == ["Drew $5"]  # every word, in any case


def test_the_kinds_to_choose_from_are_those_the_trail_mentions(admin_client):
    EventFactory(obj=ProgramFactory())
    EventFactory()

    kind = admin_client.get(URL).context["filter"].form.fields["kind"]

    assert [label for _, label in kind.choices] == ["Any kind", "Program"]


def test_the_dates_are_whole_days_in_pacific_time(admin_client):
    EventFactory(at=at_pacific(2026, 11, 30, 23, 59), summary="the day before")
    EventFactory(at=at_pacific(2026, 12, 1, 0, 0), summary="first minute")
    EventFactory(at=at_pacific(2026, 12, 1, 23, 30), summary="late evening")  # December 2 in UTC
    EventFactory(at=at_pacific(2026, 12, 2, 0, 30), summary="the day after")

    assert at_pacific(2026, 12, 1, 23, 30).astimezone(UTC).day == 2
    assert summaries(admin_client, since="2026-12-01", until="2026-12-01") == ["late evening", "first minute"]
    assert summaries(admin_client, since="2026-12-01") == ["the day after", "late evening", "first minute"]
    assert summaries(admin_client, until="2026-11-30") == ["the day before"]


def test_an_end_date_before_the_start_date_is_explained_next_to_it_and_nothing_is_listed(admin_client):
    EventFactory()

    response = admin_client.get(URL, {"since": "2026-12-02", "until": "2026-12-01", "who": "someone"})

    page = response.content.decode()
    assert rows(response) == []
    assert "The end date is before the start date (December 2, 2026)." in page
    assert "Nothing is listed until the filters are corrected" in page
    assert 'value="someone"' in page  # what was typed stays


def test_a_date_that_is_not_one_is_explained(admin_client):
    response = admin_client.get(URL, {"since": "yesterday"})

    assert "Enter a date, for example 2026-12-01." in response.content.decode()


def test_fifty_events_a_page(admin_client):
    start = timezone.now()
    for minute in range(51):
        EventFactory(at=start - timedelta(minutes=minute), summary=f"event {minute}")

    first, second = admin_client.get(URL), admin_client.get(URL, {"page": 2})

    assert len(rows(first)) == 50
    assert [row.rsplit(" ", 2)[-2:] for row in rows(second)] == [["50", "192.0.2.10"]]
    assert "Page 2 of 2" in second.content.decode()


def test_an_object_with_a_page_is_linked_and_the_link_opens_it(admin_client):
    program = ProgramFactory()
    event = EventFactory(obj=program)
    no_page = EventFactory(obj=program.appropriations.first())  # appropriations have no page of their own

    page = admin_client.get(URL).content.decode()
    link = reverse("audit:object", args=[event.content_type_id, program.pk])

    assert f'<a href="{link}">{program.name}</a>' in page
    assert reverse("audit:object", args=[no_page.content_type_id, no_page.object_id]) not in page
    assert admin_client.get(link).url == program.get_absolute_url()


def test_the_link_of_a_deleted_object_says_not_found(admin_client):
    program = ProgramFactory(name="Gone")
    event = EventFactory(obj=program)
    link = reverse("audit:object", args=[event.content_type_id, program.pk])
    program.appropriations.all().delete()
    program.delete()

    assert admin_client.get(link).status_code == 404


def test_the_page_makes_as_many_queries_for_sixty_events_as_for_three(admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    program = ProgramFactory()
    for _ in range(3):
        EventFactory(obj=program)
    few = queries()
    for index in range(57):
        EventFactory(obj=program if index % 2 else program.appropriations.first(), actor=UserFactory())

    assert queries() == few
