from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ccpt.background.jobs import job

from .models import Invitation


@job(promise="the invitation will be emailed when the mail service is back")
def send_invitation(invitation_id: int) -> bool:
    """Email an invitation link. Safe to run twice or at once: only one run sends.

    The row is claimed and the mail sent in one transaction: a failed send rolls the claim back
    so that the retry sends, and a concurrent run waits on the row lock and then finds it sent.
    """
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            return False
        invitation = Invitation.objects.select_related("consortium", "invited_by").get(pk=invitation_id)
        context = {"invitation": invitation, "link": settings.SITE_URL + invitation.get_absolute_url()}
        send_mail(
            subject=f"You are invited to {invitation.consortium} on CCPT Grants",
            message=render_to_string("consortia/emails/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True
