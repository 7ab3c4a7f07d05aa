"""Emails to finalists: their interview slot (once per slot) and the answer to a request for another slot (once).

Each is sent inside a transaction that locks its row and marks it sent, so that a second run sends nothing and a
failed email rolls the mark back for the next attempt."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from consortia.services import contact_emails

from ..models import Interview, SlotRequest


def notify_slot(interview_id: int) -> int:
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update(of=("self",))
            .select_related("finalist__application__consortium", "finalist__round", "panel")
            .filter(pk=interview_id)
            .first()
        )
        if interview is None or interview.notified_version >= interview.slot_version:
            return 0
        application = interview.finalist.application
        to = contact_emails(application.consortium_id)
        if not to:
            return 0
        interview.notified_version = interview.slot_version
        interview.save(update_fields=["notified_version"])
        moved = interview.slot_version > 1
        body = render_to_string(
            "interviews/emails/slot.txt",
            {"interview": interview, "application": application, "moved": moved, "link": _link(interview)},
        )
        subject = f"CCPT Grants: {'your interview has moved' if moved else 'your interview'} for {application.number}"
        EmailMessage(subject=subject, body=body, to=to).send()
    return 1


def notify_panel(interview_id: int) -> int:
    """Email the panel's members the interview's slot, once per slot; how many were emailed."""
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update(of=("self",))
            .select_related("finalist__application__consortium", "panel")
            .filter(pk=interview_id)
            .first()
        )
        if interview is None or interview.panel_notified_version >= interview.slot_version:
            return 0
        members = interview.panel.memberships.filter(member__is_active=True).values_list("member__email", flat=True)
        to = sorted(members)
        interview.panel_notified_version = interview.slot_version
        interview.save(update_fields=["panel_notified_version"])
        if not to:
            return 0
        application = interview.finalist.application
        body = render_to_string(
            "interviews/emails/panel.txt",
            {"interview": interview, "application": application, "link": _link(interview)},
        )
        subject = f"CCPT Grants: {interview.panel} interviews {application.number}"
        EmailMessage(subject=subject, body=body, to=to).send()
    return len(to)


def notify_answer(slot_request_id: int) -> int:
    with transaction.atomic():
        found = (
            SlotRequest.objects.select_for_update(of=("self",))
            .select_related("interview__finalist__application__consortium")
            .filter(pk=slot_request_id)
            .first()
        )
        if found is None or found.answer_sent_at is not None or found.status != SlotRequest.Status.DECLINED:
            return 0
        application = found.interview.finalist.application
        to = contact_emails(application.consortium_id)
        if not to:
            return 0
        found.answer_sent_at = timezone.now()
        found.save(update_fields=["answer_sent_at"])
        body = render_to_string(
            "interviews/emails/answer.txt",
            {"slot_request": found, "application": application, "link": _link(found.interview)},
        )
        subject = f"CCPT Grants: your interview slot for {application.number} stays as scheduled"
        EmailMessage(subject=subject, body=body, to=to).send()
    return 1


def _link(interview: Interview) -> str:
    return settings.SITE_URL + interview.get_absolute_url()
