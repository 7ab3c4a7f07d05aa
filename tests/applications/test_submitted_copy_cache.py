"""The submitted copy is rendered once per worker for its content (CACHES["template_fragments"]), and never shows
an old rendering: the content, the round's closing and the links name the rendering it reuses."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from grants import workflow
from grants.applications.models import Submission
from grants.applications.services import submission as service
from grants.programs.models import Round
from tests.factories import lead_of, submittable_application

pytestmark = pytest.mark.django_db
COPY = "applications/submissions/_snapshot.html"


@pytest.fixture
def submission():
    caches["template_fragments"].clear()
    application = submittable_application(round__closes_at=timezone.now() + timedelta(days=20))
    return service.submit_application(application=application, by=lead_of(application))


def _get(client, submission):
    return client.get(reverse("applications:submission", args=[submission.application_id]))


def _rendered(response) -> bool:
    return COPY in [t.name for t in response.templates]


def test_the_copy_is_rendered_once_and_shown_the_same_to_the_next_reader(client, submission, staff_user):
    client.force_login(lead_of(submission.application))
    first = _get(client, submission)
    again = _get(client, submission)
    client.force_login(staff_user)
    by_staff = _get(client, submission)

    assert (_rendered(first), _rendered(again), _rendered(by_staff)) == (True, False, False)
    copy = first.content.decode().split('id="snap-overview"')[1]
    assert copy in again.content.decode() and copy in by_staff.content.decode()
    assert "Capital Region Health Pathways" in copy


def test_a_copy_altered_in_the_database_shows_what_is_stored_now(client, submission):
    client.force_login(lead_of(submission.application))
    _get(client, submission)
    data = {**submission.data, "application": {**submission.data["application"], "title": "Altered afterwards"}}
    Submission.objects.filter(pk=submission.pk).update(data=data)

    html = _get(client, submission).content.decode()

    assert "Altered afterwards" in html
    assert "Does not match its checksum: the stored copy was altered after submission." in html


def test_closing_the_round_early_shows_on_a_copy_rendered_before(client, submission, staff_user):
    client.force_login(lead_of(submission.application))
    assert "Applications close</dt>" in _get(client, submission).content.decode()
    round_ = submission.application.round
    workflow.transition(round_, Round.Status.CLOSED, by=staff_user)

    html = _get(client, submission).content.decode()

    assert "Applications closed</dt>" in html
    assert "closed by program staff before the deadline" in html
