"""The invitation email goes through the real broker and worker (see .ci/run)."""

import time

import pytest
from django.conf import settings

from consortia import services
from consortia.models import Invitation

from ..factories import ContactFactory, MembershipFactory
from ..helpers import mail_files_containing, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_invitation_email_once(celery_worker_ready, worker_mail_dir):
    contact = ContactFactory(role="lead")
    organization = MembershipFactory(consortium=contact.consortium).organization

    invitation = services.invite(
        consortium=contact.consortium,
        email="worker.test@example.org",
        organization=organization,
        role="partner",
        by=contact.user,
    )

    assert wait_until(
        lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(), "mark the invitation sent"
    )
    link = f"{settings.SITE_URL}/invitations/{invitation.token}/"
    wait_until(lambda: mail_files_containing(worker_mail_dir, link), "write the invitation email")
    time.sleep(1)  # a second, duplicate message would arrive about now
    messages = mail_files_containing(worker_mail_dir, link)
    assert len(messages) == 1
    assert "To: worker.test@example.org" in messages[0].read_text()
