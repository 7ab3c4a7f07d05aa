"""Program staff accept a complete, eligible draft after the deadline, saying why."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application, Submission
from grants.applications.services import submission as service
from grants.models import StatusChange
from grants.programs.models import Round
from tests.factories import lead_of, submittable_application

pytestmark = pytest.mark.django_db

REASON = "The county's network was down for the last two hours before the deadline."


def after_deadline(application, by=timedelta(hours=1)):
    return application.round.closes_at + by


def test_staff_accept_a_late_submission_and_the_reason_is_recorded(staff_user):
    application = submittable_application()

    submission = service.accept_late_submission(
        application=application, by=staff_user, reason=REASON, now=after_deadline(application)
    )

    assert submission.late_reason == REASON
    assert submission.submitted_by == staff_user
    assert submission.is_current
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    change = StatusChange.objects.get(object_id=application.pk, to_status="submitted")
    assert (change.by, change.reason) == (staff_user, REASON)


def test_it_needs_a_reason(staff_user):
    application = submittable_application()

    with pytest.raises(Refusal, match="Give the reason"):
        service.accept_late_submission(
            application=application, by=staff_user, reason=" ", now=after_deadline(application)
        )
    assert not Submission.objects.exists()


def test_it_is_not_for_a_round_that_still_accepts_applications(staff_user):
    application = submittable_application()

    with pytest.raises(Refusal, match="submit it themselves"):
        service.accept_late_submission(application=application, by=staff_user, reason=REASON)


def test_it_refuses_an_incomplete_draft(staff_user):
    application = submittable_application()
    Application.objects.filter(pk=application.pk).update(need_statement="")

    with pytest.raises(Refusal) as refused:
        service.accept_late_submission(
            application=application, by=staff_user, reason=REASON, now=after_deadline(application)
        )
    assert any("Statement of need" in problem for problem in refused.value.problems)


def test_it_refuses_once_decisions_are_recorded(staff_user):
    application = submittable_application()
    Round.objects.filter(pk=application.round_id).update(status=Round.Status.DECIDED)

    with pytest.raises(Refusal, match="can no longer be accepted"):
        service.accept_late_submission(
            application=application, by=staff_user, reason=REASON, now=after_deadline(application)
        )


def test_applicants_cannot_accept_their_own_late_submission():
    application = submittable_application()

    with pytest.raises(PermissionDenied):
        service.accept_late_submission(
            application=application, by=lead_of(application), reason=REASON, now=after_deadline(application)
        )


def test_the_page_accepts_it_late_and_shows_the_reason_on_the_submission(client, staff_user):
    application = submittable_application()
    Round.objects.filter(pk=application.round_id).update(
        status=Round.Status.CLOSED,
        opens_at=application.round.opens_at - timedelta(days=60),
        closes_at=application.round.opens_at - timedelta(hours=1),
    )
    client.force_login(staff_user)

    response = client.post(
        reverse("applications:application-accept-late", args=[application.pk]), {"reason": REASON}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("applications:submission", args=[application.pk])
    html = response.content.decode()
    assert "was accepted late and submitted" in html
    assert "Accepted after the deadline" in html
    assert Submission.objects.get().late_reason == REASON


def test_the_page_wants_a_reason(client, staff_user):
    application = submittable_application()
    client.force_login(staff_user)

    response = client.post(reverse("applications:application-accept-late", args=[application.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "Give the reason for accepting this submission late" in response.content.decode()
    assert not Submission.objects.exists()


def test_applicants_cannot_open_the_page(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    assert client.get(reverse("applications:application-accept-late", args=[application.pk])).status_code == 403
