"""Signing in through the real pages, from chosen addresses."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def sign_in(client, email, password=PASSWORD, address="127.0.0.1", **data):
    """Post the sign-in form as a browser at `address` would; returns the response (not followed)."""
    return client.post(LOGIN, {"username": email, "password": password, **data}, REMOTE_ADDR=address)


def enter_code(client, code, address="127.0.0.1", **data):
    return client.post(reverse("accounts:verify"), {"code": code, **data}, REMOTE_ADDR=address)


def typed_key_code(page: str) -> str:
    """What an authenticator app shows once the person has typed the key from the set-up page."""
    key = re.search(r'<code class="fs-5">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    return f"{totp(b32decode(key)):06d}"


def wait_out_the_throttle(device):
    """As if the person waited the few seconds django-otp asks for after a wrong code."""
    device.refresh_from_db()
    if device.throttling_failure_timestamp:
        device.throttling_failure_timestamp -= timedelta(hours=1)
        device.save()


def age(client, **ago):
    """Move the session's clocks back: signed_in=…, last_seen=… (timedeltas)."""
    session = client.session
    now = timezone.now()
    for key, value in ago.items():
        session[f"{key}_at"] = (now - value).isoformat()
    session.save()


@pytest.fixture
def applicant(db):
    return UserFactory(role="Applicants", email="ana@example.org")


@pytest.fixture
def staff(db):
    return UserFactory(role="Program staff", email="sam@example.org")


@pytest.fixture
def admin(db):
    return UserFactory(role="Administrators", email="ada@example.org")


@pytest.fixture
def staff_2fa_required(settings):
    settings.CCPT_REQUIRE_STAFF_2FA = True
