"""Award and decline notices, delivered exactly once per idempotency key.

A notice is claimed and sent inside one transaction holding its row lock: a retried or duplicated task waits
for the lock and then finds the notice sent; a failed send rolls back and is retried with backoff; the final
failure is recorded with its reason for staff to see and resend.
"""

from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from ccpt.background.services import later
from ccpt.lib.dates import format_datetime
from ccpt.lib.once import AlreadyDone
from ccpt.lib.pdf import pdf_available
from ccpt.lib.refusal import require_reason
from consortia.services import contact_emails

from ..models import Notice
from .letters import award_letter_filename, award_letter_pdf

TRANSIENT = (SMTPException, OSError)


def recipients_for(notice: Notice) -> list[str]:
    return contact_emails(notice.application.consortium_id)


def build_message(notice: Notice, recipients: list[str]) -> EmailMessage:
    application = notice.application
    # Without PDFs on this server an award notice still goes, on time and with the same wording as the decline
    # notices sent with it, saying where to download the letter: held back, it would wait for someone to install
    # a system library, and the consortium would learn of its award after others learned of their declines.
    letter = notice.award is not None and pdf_available()
    context = {
        "notice": notice,
        "application": application,
        "award": notice.award,
        "site_url": settings.SITE_URL,
        "letter_attached": letter,
    }
    template = (
        "awards/emails/award_notice.txt" if notice.kind == Notice.Kind.AWARD else "awards/emails/decline_notice.txt"
    )
    subject = (
        f"CCPT grant award {notice.award.number}: {application.consortium}"
        if notice.kind == Notice.Kind.AWARD
        else f"CCPT application {application.number}: funding decision"
    )
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=recipients,
        # The same Message-ID on every attempt, so that a copy sent again after a worker died between sending
        # and recording it is recognisably the same message to mail servers and clients that collapse duplicates.
        headers={
            "X-CCPT-Notice": notice.idempotency_key,
            "Message-ID": f"<{notice.idempotency_key.replace(':', '.')}@ccpt-grants>",
        },
    )
    if letter:
        message.attach(award_letter_filename(notice.award), award_letter_pdf(notice.award), "application/pdf")
    return message


def deliver(*, notice_id: int) -> bool:
    """Send one notice unless it was sent already. True when this call sent it; a transient mail error leaves it
    queued (the background work retries it) and is raised."""
    try:
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(of=("self",))
                .select_related("application__consortium", "award__round__program", "award__category")
                .get(pk=notice_id)
            )
            if notice.delivery == Notice.Delivery.SENT:
                return False
            recipients = recipients_for(notice)
            if not recipients:
                notice.delivery = Notice.Delivery.FAILED
                notice.last_error = "The consortium has no one to send it to: invite a contact, then resend."
                notice.save(update_fields=["delivery", "last_error"])
                return False
            message = build_message(notice, recipients)
            message.send()
            notice.without_letter = notice.award_id is not None and not message.attachments
            notice.recipients = recipients
            notice.delivery = Notice.Delivery.SENT
            notice.sent_at = timezone.now()
            # A plain value, not F(): the row is locked, and history records cannot store an expression.
            notice.attempts += 1
            notice.last_error = ""
            notice.save(update_fields=["recipients", "delivery", "sent_at", "attempts", "last_error", "without_letter"])
            return True
    except TRANSIENT as error:
        Notice.objects.filter(pk=notice_id).exclude(delivery=Notice.Delivery.SENT).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}", delivery=Notice.Delivery.QUEUED
        )
        raise


def give_up(notice_id: int, *, error: BaseException) -> None:
    """No attempt is left: the notice is failed, with the reason, for staff to see and resend."""
    Notice.objects.filter(pk=notice_id).exclude(delivery=Notice.Delivery.SENT).update(
        delivery=Notice.Delivery.FAILED, last_error=f"{type(error).__name__}: {error}"
    )


@transaction.atomic
def resend(*, notice: Notice, by, reason: str, click: str | None = None) -> Notice:
    """Staff deliberately send a notice again: a new notice with its own key, linked to the first.

    `click` is the one-time token of the form that asked (ccpt.lib.once): the same form posted twice finds the
    resend its first post made and raises AlreadyDone instead of resending it once more.
    """
    reason = require_reason(reason, "Say why the notice is sent again; the reason is kept.")
    # Under the first notice's lock, its resends are numbered, and a click is looked up, one request at a time.
    Notice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    if click and (done := Notice.objects.filter(click_token=click).select_related("requested_by").first()):
        raise AlreadyDone(
            f"This notice was already resent on {format_datetime(done.queued_at)} by {done.requested_by}, from the "
            "same form (it was sent twice); it was not sent again.",
            done=done,
        )
    copies = Notice.objects.filter(resend_of=notice).count()
    again = Notice.objects.create(
        kind=notice.kind,
        application=notice.application,
        award=notice.award,
        idempotency_key=f"{notice.idempotency_key}:resend-{copies + 1}",
        resend_of=notice,
        requested_by=by,
        resend_reason=reason,
        click_token=click or None,
    )
    later("grants.awards.tasks.send_notice", again.pk)
    return again
