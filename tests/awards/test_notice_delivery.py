"""Award and decline notices are delivered exactly once; transient mail errors are retried, final ones recorded."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from ccpt.background.models import Job
from ccpt.background.services import later, run
from ccpt.lib.refusal import Refusal
from grants.awards.models import Notice
from grants.awards.services.approval import SEND_NOTICE
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


def test_the_background_work_retries_a_transient_error_later_and_sends_once(
    notice, mailoutbox, flaky, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        later(SEND_NOTICE, notice.pk)
    job = Job.objects.get()
    assert job.state == "pending" and job.attempts == 1 and job.not_before > timezone.now()
    notice.refresh_from_db()
    assert notice.delivery == "queued" and mailoutbox == []

    assert run(job.pk) == "skipped"  # not before its backoff is over
    Job.objects.filter(pk=job.pk).update(not_before=timezone.now())
    assert run(job.pk) == "done"
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.delivery == "sent" and notice.attempts == 2


def test_the_last_attempt_records_the_failure_for_staff(notice, mailoutbox, flaky, django_capture_on_commit_callbacks):
    flaky.failures = 99
    with django_capture_on_commit_callbacks(execute=True):
        later(SEND_NOTICE, notice.pk)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(attempts=send_notice.background.attempts - 1, not_before=None)

    assert run(job.pk) == "failed"

    notice.refresh_from_db()
    job.refresh_from_db()
    assert notice.delivery == "failed" and "SMTPServerDisconnected" in notice.last_error
    assert job.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
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
