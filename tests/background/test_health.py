"""Staff see background work that is late, retried, stalled or failed, and can retry what failed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.background.models import Job
from ccpt.background.services import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCREEN = "grants.applications.tasks.screen_submission"
WORK = reverse("background:work")


def job(minutes_ago=0, **fields) -> Job:
    fields.setdefault("dispatched_at", timezone.now())  # handed to the broker, as later() does
    return Job.objects.create(
        task=SCREEN, args=[7], created_at=timezone.now() - timedelta(minutes=minutes_ago), **fields
    )


def test_the_counts_say_what_is_waiting_late_retried_stalled_and_failed():
    job(minutes_ago=1)
    oldest = job(minutes_ago=10)
    job(attempts=2, not_before=timezone.now() + timedelta(minutes=1))
    job(state=Job.State.RUNNING, lease_until=timezone.now() - timedelta(seconds=1))
    job(state=Job.State.FAILED, last_error="SMTPServerDisconnected: gone")
    job(state=Job.State.DONE)

    job(dispatched_at=None)  # the broker did not take it

    assert health() == type(health())(
        waiting=4, unsent=1, late=1, retrying=1, running=1, stalled=1, failed=1, oldest=oldest.created_at
    )
    assert not health().ok


def test_nothing_waiting_is_all_caught_up(client):
    client.force_login(UserFactory(role="Program staff"))

    assert "All caught up" in client.get(reverse("dashboard")).content.decode()
    assert "All caught up" in client.get(WORK).content.decode()


def test_the_dashboard_and_the_page_show_staff_what_needs_them(client):
    job(minutes_ago=10)
    job(state=Job.State.FAILED, attempts=8, last_error="SMTPServerDisconnected: gone")
    job(minutes_ago=0)
    client.force_login(UserFactory(role="Program staff"))

    dashboard = client.get(reverse("dashboard")).content.decode()
    page = client.get(WORK).content.decode()

    assert "1 late" in dashboard and "1 failed" in dashboard
    assert page.count('<th scope="row">Screen submission 7</th>') == 2  # late, failed; not the one just recorded
    assert "SMTPServerDisconnected: gone" in page
    assert 'Retry<span class="visually-hidden"> Screen submission 7</span>' in page


def test_work_the_broker_did_not_take_shows_at_once(client):
    job(dispatched_at=None)
    client.force_login(UserFactory(role="Program staff"))

    dashboard = client.get(reverse("dashboard")).content.decode()
    page = client.get(WORK).content.decode()

    assert "1 not taken by the broker" in dashboard
    assert '<th scope="row">Screen submission 7</th>' in page


def test_staff_retry_a_failed_job_from_its_first_attempt(client, django_capture_on_commit_callbacks, monkeypatch):
    staff = UserFactory(role="Program staff")
    failed = job(state=Job.State.FAILED, attempts=8, last_error="SMTPServerDisconnected: gone")
    monkeypatch.setattr("grants.applications.services.screening.screen", _passing)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("background:retry", args=[failed.pk]), follow=True)

    failed.refresh_from_db()
    assert failed.state == "done" and failed.attempts == 1
    assert "Screen submission 7 will be tried again." in response.content.decode()
    event = Event.objects.get(action=Event.Action.BACKGROUND)
    assert event.actor == staff and event.summary == "Retried after: SMTPServerDisconnected: gone"


def test_only_failed_work_can_be_retried(client):
    running = job(state=Job.State.RUNNING, lease_until=timezone.now() + timedelta(seconds=20))
    client.force_login(UserFactory(role="Program staff"))

    response = client.post(reverse("background:retry", args=[running.pk]), follow=True)

    assert "Screen submission 7 is running: there is nothing to retry." in response.content.decode()
    running.refresh_from_db()
    assert running.state == "running"


@pytest.mark.parametrize("role, allowed", [
    ("Applicants", False), ("Readers", False), ("Program staff", True), ("Administrators", True),
])  # fmt: skip
def test_only_staff_and_administrators_see_background_work(client, role, allowed):
    failed = job(state=Job.State.FAILED)
    client.force_login(UserFactory(role=role))

    assert client.get(WORK).status_code == (200 if allowed else 403)
    assert client.post(reverse("background:retry", args=[failed.pk])).status_code == (302 if allowed else 403)
    assert ("System health" in client.get(reverse("dashboard")).content.decode()) is allowed


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        job(state=Job.State.FAILED)
    client.force_login(UserFactory(role="Program staff"))

    with django_assert_max_num_queries(8):
        assert client.get(WORK).status_code == 200


def _passing(submission_id):
    from types import SimpleNamespace

    return SimpleNamespace(screening="passed")
