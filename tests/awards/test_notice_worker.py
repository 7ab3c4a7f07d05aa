"""Award and decline notices through the real Redis broker and a running worker (see README: tests marked `worker`).

The worker takes one task at a time in order: a notice sent last is a probe, and once it is sent every task sent
before it (duplicates included) has run.
"""

import re
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from grants.awards.models import FundingPlan, Notice, PlanLine
from grants.awards.services.approval import approve_plan
from grants.programs.models import Round
from tests.factories import (
    ApplicationFactory,
    AwardFactory,
    ContactFactory,
    FundingCategoryFactory,
    NoticeFactory,
    RoundFactory,
    UserFactory,
    submit,
)
from tests.helpers import deliver_again, enqueue, wait_until

SEND = "grants.awards.tasks.send_notice"

HEADER = re.compile(r"^X-CCPT-Notice: (.+?)\r?$", re.MULTILINE)


def _messages(mail_dir: Path, keys: set[str], since: float = 0) -> tuple[Counter, dict[str, str]]:
    """How many messages written since `since` carry each of these notice keys, and the text of the file holding
    each. Django's file backend may append two messages to one file, so messages are counted by header."""
    counts: Counter = Counter()
    texts = {}
    for path in mail_dir.glob("*"):
        if not path.is_file() or path.stat().st_mtime < since:
            continue
        text = path.read_text(errors="replace")
        for key in HEADER.findall(text):
            if key in keys:
                counts[key] += 1
                texts[key] = text
    return counts, texts


def _wait_until_sent(notices: list[Notice]) -> None:
    rows = Notice.objects.filter(pk__in=[n.pk for n in notices])
    wait_until(
        lambda: rows.filter(delivery=Notice.Delivery.SENT).count() == len(notices),
        "send the notices",
        explain=lambda: list(rows.values_list("delivery", "last_error")),
    )


def _notice(kind: str) -> Notice:
    key = f"worker-test-{kind}-{uuid.uuid4().hex}"
    if kind == "award":
        award = AwardFactory(number=f"W-{uuid.uuid4().hex[:10]}", application__number=f"W-{uuid.uuid4().hex[:12]}")
        notice = NoticeFactory(award=award, idempotency_key=key)
    else:
        application = ApplicationFactory(status="submitted", number=f"W-{uuid.uuid4().hex[:12]}")
        notice = NoticeFactory(kind="decline", award=None, application=application, idempotency_key=key)
    ContactFactory(consortium=notice.application.consortium)
    return notice


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_notice_exactly_once(celery_worker_ready, worker_mail_dir):
    award, decline, probe = _notice("award"), _notice("decline"), _notice("award")

    job = enqueue(SEND, award.pk)
    enqueue(SEND, decline.pk)
    deliver_again(job)  # a duplicate delivery must not send a second message
    enqueue(SEND, probe.pk)

    _wait_until_sent([award, decline, probe])
    keys = {award.idempotency_key, decline.idempotency_key, probe.idempotency_key}
    counts, texts = _messages(worker_mail_dir, keys)
    assert counts == dict.fromkeys(keys, 1)
    award.refresh_from_db()
    assert award.attempts == 1
    assert award.recipients == [award.application.consortium.contacts.get().user.email]
    assert f"Subject: CCPT grant award {award.award.number}" in texts[award.idempotency_key]
    assert f'filename="award-letter-{award.award.number}.pdf"' in texts[award.idempotency_key]
    assert "application/pdf" in texts[award.idempotency_key]
    assert "application/pdf" not in texts[decline.idempotency_key]
    assert f"Subject: CCPT application {decline.application.number}: funding decision" in texts[decline.idempotency_key]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_approving_a_plan_sends_its_notices_once_through_the_worker(celery_worker_ready, worker_mail_dir):
    started = time.time() - 1  # database ids, and so plan notice keys, repeat from one test database to the next
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

    submit(plan, by=UserFactory(role="Program staff"))  # staff hand it to the administrator first
    approve_plan(plan=plan, by=admin)  # enqueues one task per notice once committed
    notices = list(Notice.objects.filter(application__round=round_))
    _wait_until_sent(notices)
    probe = _notice("award")
    enqueue(SEND, probe.pk)
    _wait_until_sent([probe])

    counts, _ = _messages(worker_mail_dir, {n.idempotency_key for n in notices}, since=started)
    assert counts == {n.idempotency_key: 1 for n in notices}
    assert sorted(n.kind for n in notices) == ["award", "decline"]
