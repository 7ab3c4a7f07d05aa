"""Award and decline notices are delivered exactly once; transient mail errors are retried, final ones recorded."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from ccpt.lib.refusal import Refusal
from grants.awards.models import Notice
from grants.awards.services.notices import deliver, resend
from grants.awards.tasks import send_notice
from tests.factories import ApplicationFactory, ContactFactory, NoticeFactory, UserFactory


class FlakyBackend(EmailBackend):
    """The in-memory backend, but the SMTP server drops the connection the first `failures` times."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.awards.test_notice_delivery.FlakyBackend"
    FlakyBackend.failures = 1
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def notice(db):
    notice = NoticeFactory()
    ContactFactory(consortium=notice.application.consortium, user__email="lead@crane.example.org")
    return notice


def test_deliver_sends_once_with_the_award_letter_attached(notice, mailoutbox):
    assert deliver(notice_id=notice.pk) is True
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lead@crane.example.org"]
    assert notice.award.number in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"award-letter-{notice.award.number}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    notice.refresh_from_db()
    assert notice.delivery == "sent" and notice.sent_at is not None and notice.attempts == 1
    assert notice.recipients == ["lead@crane.example.org"]


def test_a_second_deliver_sends_nothing(notice, mailoutbox):
    deliver(notice_id=notice.pk)
    assert deliver(notice_id=notice.pk) is False
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.attempts == 1


def test_a_transient_smtp_error_leaves_it_queued_then_a_retry_sends_it_once(notice, mailoutbox, flaky):
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.delivery == "queued" and notice.attempts == 1
    assert notice.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mailoutbox == []
    assert deliver(notice_id=notice.pk) is True
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.delivery == "sent" and notice.attempts == 2 and notice.last_error == ""


def test_the_task_retries_a_transient_error_and_sends_once(notice, mailoutbox, flaky):
    # In-process, the way a worker runs it: the retry runs at once instead of after its backoff.
    send_notice.apply(args=[notice.pk], throw=False)
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.delivery == "sent" and notice.attempts == 2


def test_the_tasks_last_retry_records_the_failure(notice, mailoutbox, flaky):
    flaky.failures = 99
    result = send_notice.apply(args=[notice.pk], retries=send_notice.max_retries, throw=False)
    assert result.failed()
    notice.refresh_from_db()
    assert notice.delivery == "failed" and "SMTPServerDisconnected" in notice.last_error
    assert mailoutbox == []


def test_the_final_failure_marks_it_failed_with_the_reason(notice, mailoutbox, flaky):
    flaky.failures = 99
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver(notice_id=notice.pk, final_attempt=True)
    notice.refresh_from_db()
    assert notice.delivery == "failed" and notice.attempts == 1
    assert "SMTPServerDisconnected" in notice.last_error
    assert mailoutbox == []


def test_a_consortium_without_contacts_fails_with_what_to_do(db, mailoutbox):
    notice = NoticeFactory()
    assert deliver(notice_id=notice.pk) is False
    notice.refresh_from_db()
    assert notice.delivery == "failed"
    assert notice.last_error == "The consortium has no one to send it to: invite a contact, then resend."
    assert mailoutbox == []


def test_a_decline_notice_has_no_letter(db, mailoutbox):
    application = ApplicationFactory(status="submitted")
    ContactFactory(consortium=application.consortium)
    notice = NoticeFactory(kind="decline", award=None, application=application)
    deliver(notice_id=notice.pk)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].attachments == []
    assert "funding decision" in mailoutbox[0].subject


def test_resend_creates_a_second_message_deliberately(notice, mailoutbox, django_capture_on_commit_callbacks):
    deliver(notice_id=notice.pk)
    staff = UserFactory(role="Program staff")
    with django_capture_on_commit_callbacks(execute=True):
        again = resend(notice=notice, by=staff, reason="The lead contact changed.")
    assert len(mailoutbox) == 2
    again.refresh_from_db()
    assert again.resend_of == notice and again.requested_by == staff and again.delivery == "sent"
    assert again.idempotency_key == f"{notice.idempotency_key}:resend-1"
    assert Notice.objects.count() == 2
    with pytest.raises(Refusal, match="Say why"):
        resend(notice=notice, by=staff, reason=" ")
