"""Award and decline notices through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import os
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from grants.awards.models import Notice
from grants.awards.tasks import send_notice
from tests.factories import ApplicationFactory, AwardFactory, ContactFactory, NoticeFactory

HEADER = re.compile(r"^X-CCPT-Notice: (.+?)\r?$", re.MULTILINE)


def _mail_dir() -> Path:
    directory = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not directory:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CCPT_WORKER_MAIL_DIR is not set", pytrace=False)
        pytest.skip("needs CCPT_WORKER_MAIL_DIR: the worker's EMAIL_URL=filemail:// directory")
    return Path(directory)


def _messages(mail_dir: Path, keys: set[str]) -> tuple[Counter, dict[str, str]]:
    """How many messages carry each of these notice keys, and the text of the file holding each.

    Django's file backend may append two messages to one file, so messages are counted by header, not by file.
    """
    counts: Counter = Counter()
    texts = {}
    for path in mail_dir.glob("*"):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for key in HEADER.findall(text):
            if key in keys:
                counts[key] += 1
                texts[key] = text
    return counts, texts


def _wait_until_sent(notices: list[Notice], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Notice.objects.filter(pk__in=[n.pk for n in notices], delivery=Notice.Delivery.SENT).count() == len(notices):
            return
        time.sleep(0.25)
    pytest.fail(f"the worker did not send the notices within {timeout:.0f} s", pytrace=False)


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
def test_the_worker_sends_each_notice_exactly_once(celery_worker_ready):
    mail_dir = _mail_dir()
    award, decline = _notice("award"), _notice("decline")
    # Sent last: the worker takes one task at a time in order, so once this one is sent the duplicate has run.
    later = _notice("award")

    send_notice.delay(award.pk)
    send_notice.delay(decline.pk)
    send_notice.delay(award.pk)  # a duplicate delivery must not send a second message
    send_notice.delay(later.pk)

    _wait_until_sent([award, decline, later])
    keys = {award.idempotency_key, decline.idempotency_key, later.idempotency_key}
    counts, texts = _messages(mail_dir, keys)
    assert counts == dict.fromkeys(keys, 1)
    award.refresh_from_db()
    assert award.attempts == 1
    assert award.recipients == [award.application.consortium.contacts.get().user.email]
    assert f"Subject: CCPT grant award {award.award.number}" in texts[award.idempotency_key]
    assert f'filename="award-letter-{award.award.number}.pdf"' in texts[award.idempotency_key]
    assert "application/pdf" in texts[award.idempotency_key]
    assert "application/pdf" not in texts[decline.idempotency_key]
    assert f"Subject: CCPT application {decline.application.number}: funding decision" in texts[decline.idempotency_key]
