"""With the broker down, a committed action is never an error page: the work waits in the database, the person is
told the truth, and the sweeper sends it when the broker is back."""

import socket
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.background.models import Job
from ccpt.background.services import sweep
from ccpt.celery import app as celery_app
from grants.applications.models import Submission
from grants.awards.models import FundingPlan, Notice
from grants.awards.services.allocation import build_plan
from grants.programs.models import Round
from tests.factories import (
    ContactFactory,
    FundingCategoryFactory,
    RoundFactory,
    UserFactory,
    lead_of,
    ranked_application,
    submit,
    submittable_application,
)

# The request's own transaction commits for real, so that its after-commit hand-over to the broker is attempted.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(monkeypatch):
    """A broker address where nothing listens (connection refused), and work sent there rather than run here."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", f"redis://127.0.0.1:{port}/0")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


def test_a_submission_is_saved_and_the_applicant_is_told_the_receipt_will_follow(client, broker_down, mailoutbox):
    application = submittable_application()
    client.force_login(lead_of(application))

    response = client.post(
        reverse("applications:application-submit", args=[application.pk]), {"confirm": "on"}, follow=True
    )

    assert response.status_code == 200
    assert (
        f"Application {application.number} was submitted on" in response.content.decode()
        and "The receipt will be emailed to the consortium&#x27;s contacts when the mail service is back."
        in response.content.decode()
    )
    submission = Submission.objects.get(application=application)
    assert submission.screened_at is None and mailoutbox == []
    job = Job.objects.get()
    assert (job.state, job.dispatched_at) == ("pending", None)


def test_approving_a_plan_makes_the_awards_and_says_the_notices_will_follow(client, broker_down, mailoutbox):
    round_ = RoundFactory(funds_available=Decimal("1000000.00"), status=Round.Status.IN_REVIEW, grant_years=4)
    category = FundingCategoryFactory(round=round_, maximum_award=Decimal("600000.00"), planned_grants=2)
    for rank in (1, 2):
        ContactFactory(consortium=ranked_application(round_, category, rank, "400000.00").consortium)
    plan = FundingPlan.objects.create(round=round_, created_by=UserFactory(role="Program staff"))
    build_plan(plan=plan)
    submit(plan)
    client.force_login(UserFactory(role="Administrators"))

    response = client.post(
        reverse("awards:plan-approve", args=[plan.pk]), {"conditions": "Quarterly reports."}, follow=True
    )

    assert response.status_code == 200
    assert (
        "Plan approved: 2 awards offered, $800,000.00 committed. 2 notices will be sent when the mail service is back."
        in response.content.decode()
    )
    assert Notice.objects.filter(delivery=Notice.Delivery.QUEUED).count() == 2
    assert list(Job.objects.values_list("state", "dispatched_at")) == [("pending", None)] * 2
    assert mailoutbox == []


def test_when_the_broker_is_back_the_sweeper_does_the_waiting_work_once(client, broker_down, monkeypatch, mailoutbox):
    application = submittable_application()
    client.force_login(lead_of(application))
    client.post(reverse("applications:application-submit", args=[application.pk]), {"confirm": "on"})
    assert sweep() == 0  # still down: nothing was taken, and the job still waits for the broker
    assert Job.objects.get().dispatched_at is None
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the broker is back (here: run in-process)

    assert sweep() == 1
    assert sweep() == 0

    submission = Submission.objects.get(application=application)
    assert submission.screening == Submission.Screening.PASSED
    assert [message.subject for message in mailoutbox] == [
        f"Receipt: application {application.number} submitted to {application.round}"
    ]
