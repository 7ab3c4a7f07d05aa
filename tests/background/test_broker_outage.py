"""A real Redis of the test's own is stopped while an applicant submits and an administrator approves a plan, then
started again: everything that waited is done exactly once (screenings, receipts, notices)."""

import re
import time
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.background.models import Job
from ccpt.background.services import sweep
from grants.applications.models import Submission
from grants.awards.models import FundingPlan, Notice
from grants.awards.services.allocation import build_plan
from grants.models import StatusChange
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
from tests.helpers import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NOTICE_KEY = re.compile(r"^X-CCPT-Notice: (.+?)\r?$", re.MULTILINE)


def _plan() -> FundingPlan:
    round_ = RoundFactory(funds_available=Decimal("1000000.00"), status=Round.Status.IN_REVIEW, grant_years=4)
    category = FundingCategoryFactory(round=round_, maximum_award=Decimal("600000.00"), planned_grants=3)
    for rank in (1, 2, 3):  # two funded, one declined
        ContactFactory(consortium=ranked_application(round_, category, rank, "400000.00").consortium)
    plan = FundingPlan.objects.create(round=round_, created_by=UserFactory(role="Program staff"))
    build_plan(plan=plan)
    submit(plan)  # staff hand it to the administrator, who approves it in the test
    return plan


def _mail(mail_dir) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(mail_dir.glob("*")) if path.is_file())


def test_work_done_while_the_broker_was_down_is_done_exactly_once_when_it_is_back(
    client, own_redis, own_worker, mail_dir, signed_in_recently
):
    own_worker()
    application = submittable_application()
    plan = _plan()

    own_redis.stop()
    client.force_login(lead_of(application))
    submitted = client.post(
        reverse("applications:application-submit", args=[application.pk]), {"confirm": "on"}, follow=True
    )
    admin = UserFactory(role="Administrators")
    signed_in_recently(client, admin)
    approved = client.post(reverse("awards:plan-approve", args=[plan.pk]), {"conditions": "Reports."}, follow=True)

    assert submitted.status_code == approved.status_code == 200
    assert "when the mail service is back" in submitted.content.decode()
    assert "3 notices will be sent when the mail service is back" in approved.content.decode()
    assert Job.objects.filter(state=Job.State.PENDING, dispatched_at__isnull=True).count() == 4

    own_redis.start()
    started = time.monotonic()
    wait_until(
        lambda: sweep() is not None and not Job.objects.exclude(state=Job.State.DONE).exists(),
        "do the work that waited",
        timeout=60,
        explain=lambda: list(Job.objects.values_list("task", "state", "attempts", "last_error")),
    )
    recovered_in = time.monotonic() - started
    for _ in range(3):  # the sweeper keeps running: nothing is sent twice
        sweep()
    time.sleep(2)

    submission = Submission.objects.get(application=application)
    assert submission.screening == Submission.Screening.PASSED
    assert StatusChange.objects.filter(object_id=submission.pk, to_status="passed").count() == 1
    mail = _mail(mail_dir)
    assert mail.count(f"Subject: Receipt: application {application.number} submitted to") == 1
    notices = list(Notice.objects.filter(application__round=plan.round))
    assert [n.delivery for n in notices] == [Notice.Delivery.SENT] * 3
    assert Counter(NOTICE_KEY.findall(mail)) == {n.idempotency_key: 1 for n in notices}
    assert recovered_in < 30, f"took {recovered_in:.1f} s after the broker came back"
