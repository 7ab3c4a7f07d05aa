"""A worker killed mid-batch (SIGKILL: no acknowledgement, its transaction dropped) loses nothing: another worker
finishes the batch, and the job it was running is taken over once its lease is over, within a minute."""

import re
import time
from collections import Counter

import pytest
from django.db import transaction

from ccpt.background.models import Job
from ccpt.background.services import later_each, sweep
from grants.awards.models import Notice
from tests.factories import AwardFactory, ContactFactory, NoticeFactory
from tests.helpers import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NOTICE_KEY = re.compile(r"^X-CCPT-Notice: (.+?)\r?$", re.MULTILINE)
BATCH = 40


def test_a_killed_workers_batch_is_finished_within_a_minute(own_worker, mail_dir):
    notices = [NoticeFactory(award=AwardFactory()) for _ in range(BATCH)]
    for notice in notices:
        ContactFactory(consortium=notice.application.consortium)
    first = own_worker()
    with transaction.atomic():
        later_each("grants.awards.tasks.send_notice", [(notice.pk,) for notice in notices])
    sent = Notice.objects.filter(delivery=Notice.Delivery.SENT)
    wait_until(lambda: sent.count() >= 5, "send the first notices")

    first.kill()
    killed_at = time.monotonic()
    assert sent.count() < BATCH, "the batch finished before the worker could be killed"
    own_worker()

    def finished():
        sweep()  # what Celery beat does every CCPT_SWEEP_SECONDS
        return sent.count() == BATCH and not Job.objects.exclude(state=Job.State.DONE).exists()

    wait_until(finished, "finish the batch", timeout=90, explain=lambda: list(Job.objects.values_list("state")))
    recovered_in = time.monotonic() - killed_at

    mail = "\n".join(p.read_text(errors="replace") for p in mail_dir.glob("*") if p.is_file())
    copies = Counter(NOTICE_KEY.findall(mail))
    assert set(copies) == {notice.idempotency_key for notice in notices}  # none missing
    # At most the notice in flight at the kill goes twice (sent, then killed before recording it), under the same
    # Message-ID so that mail clients collapse it; every other one once.
    assert sum(copies.values()) - BATCH <= 1, copies.most_common(3)
    assert recovered_in < 60, f"the batch took {recovered_in:.1f} s to finish after the kill"
    print(f"\nrecovered {BATCH} notices {recovered_in:.1f} s after the worker was killed")
