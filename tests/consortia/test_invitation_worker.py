"""The invitation email goes through the real broker and worker (see .ci/run)."""

import os
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from consortia import services
from consortia.models import Invitation

from ..conftest import _need
from ..factories import ContactFactory, MembershipFactory


@pytest.fixture
def mail_dir():
    path = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not path:
        _need("needs CCPT_WORKER_MAIL_DIR: the directory the worker's file email backend writes to")
    return Path(path)


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database afterwards, taking the counties, regions and groups with it."""
    import_module("consortia.migrations.0002_reference_data").load(apps, None)


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.25)
    return condition()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_invitation_email_once(celery_worker_ready, mail_dir, reference_data):
    contact = ContactFactory(role="lead")
    organization = MembershipFactory(consortium=contact.consortium).organization

    invitation = services.invite(
        consortium=contact.consortium,
        email="worker.test@example.org",
        organization=organization,
        role="partner",
        by=contact.user,
    )

    assert wait_for(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists())
    link = f"{settings.SITE_URL}/invitations/{invitation.token}/"
    messages = wait_for(lambda: [p for p in mail_dir.iterdir() if link in p.read_text(errors="replace")])
    time.sleep(1)  # a second, duplicate message would arrive about now
    messages = [p for p in mail_dir.iterdir() if link in p.read_text(errors="replace")]
    assert len(messages) == 1
    assert "To: worker.test@example.org" in messages[0].read_text()
