"""Award notices through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import os
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from grants.awards.models import FundingPlan, Notice, PlanLine
from grants.awards.services.approval import approve_plan
from grants.awards.tasks import send_notice
from grants.programs.models import Round
from tests.factories import ApplicationFactory, ContactFactory, FundingCategoryFactory, RoundFactory, UserFactory


def _mail_dir() -> Path:
    directory = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not directory:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CCPT_WORKER_MAIL_DIR is not set", pytrace=False)
        pytest.skip("needs CCPT_WORKER_MAIL_DIR: the worker's EMAIL_URL=filemail:// directory")
    return Path(directory)


def _messages(mail_dir: Path) -> list[str]:
    """Every message the worker wrote (Django's file backend separates messages in a file by a line of dashes)."""
    texts = (path.read_text(errors="replace") for path in mail_dir.glob("*") if path.is_file())
    return [part for text in texts for part in text.split("\n" + "-" * 79 + "\n") if part.strip()]


def _wait_until_sent(notices, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notice.objects.filter(pk__in=[n.pk for n in notices]).exclude(delivery="sent").exists():
            return
        time.sleep(0.25)
    states = list(Notice.objects.filter(pk__in=[n.pk for n in notices]).values_list("delivery", "last_error"))
    pytest.fail(f"the worker did not send the notices within {timeout:.0f} s: {states}", pytrace=False)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_approving_a_plan_sends_each_notice_once_through_the_worker(celery_worker_ready):
    mail_dir = _mail_dir()
    admin = UserFactory(role="Administrators")
    round_ = RoundFactory(code=f"w{uuid.uuid4().hex[:12]}", status=Round.Status.IN_REVIEW)
    category = FundingCategoryFactory(round=round_)
    plan = FundingPlan.objects.create(round=round_, created_by=admin)
    for funded in (True, False):
        application = ApplicationFactory(round=round_, category=category, status="submitted")
        ContactFactory(consortium=application.consortium)
        amount = Decimal("250000.00")
        PlanLine.objects.create(
            plan=plan, application=application, category=category, rank=1 if funded else 2, requested=amount,
            amount=amount if funded else Decimal("0"), funded=funded,
        )  # fmt: skip

    (award,) = approve_plan(plan=plan, by=admin)  # enqueues one task per notice once committed
    notices = list(Notice.objects.filter(application__round=round_))
    award_notice = next(n for n in notices if n.kind == "award")
    send_notice.delay(award_notice.pk)  # a duplicate delivery must not send a second message

    _wait_until_sent(notices)
    later = Notice.objects.create(
        kind="award", application=award.application, award=award, idempotency_key=f"{award.number}-probe",
        requested_by=admin,
    )  # fmt: skip
    send_notice.delay(later.pk)  # the worker runs tasks in order: once this is sent, the duplicate has run
    _wait_until_sent([later])

    sent = [text for text in _messages(mail_dir) if f"Subject: CCPT grant award {award.number}:" in text]
    assert len(sent) == 2  # the award notice once, and the probe
    assert sum(f"X-CCPT-Notice: {award_notice.idempotency_key}\n" in text for text in sent) == 1
    assert all("Content-Type: application/pdf" in text for text in sent)
    award_notice.refresh_from_db()
    assert award_notice.attempts == 1
