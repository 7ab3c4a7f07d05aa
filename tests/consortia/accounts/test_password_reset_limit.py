"""Password-reset requests are limited per address and per email typed, without revealing who has an account."""

import re
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core import mail

from tests.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


def page_text(response, email):
    """The page as a person reads it: without the email they typed and the per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode().replace(email, "EMAIL"))


def ask(client, email, address="127.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """django-ratelimit counts in fixed windows of the clock: keep all of a test's requests in one of them."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.CCPT_PASSWORD_RESETS_PER_EMAIL = 3
    settings.CCPT_PASSWORD_RESETS_PER_ADDRESS = 10


def test_the_fourth_request_in_an_hour_for_one_email_is_refused_with_a_clear_message(client, applicant):
    answers = [ask(client, applicant.email, address=f"198.51.100.{n}") for n in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many password-reset requests" in answers[3].content.decode()
    assert len(mail.outbox) == 3


def test_the_limit_reads_the_same_whether_or_not_an_account_uses_the_email(client, applicant):
    for n in range(3):
        ask(client, applicant.email, address=f"198.51.100.{n}")
        ask(client, "nobody@example.org", address=f"198.51.100.{n}")

    known = ask(client, applicant.email, address="198.51.100.9")
    unknown = ask(client, "nobody@example.org", address="198.51.100.9")

    assert known.status_code == unknown.status_code == 429
    assert page_text(known, applicant.email) == page_text(unknown, "nobody@example.org")


def test_one_address_may_ask_ten_times_an_hour(client, applicant):
    answers = [ask(client, f"person{n}@example.org", address="192.0.2.8") for n in range(11)]

    assert [a.status_code for a in answers] == [302] * 10 + [429]
    assert ask(client, applicant.email, address="192.0.2.9").status_code == 302
    assert len(mail.outbox) == 1  # only the real account gets an email


def test_another_email_from_another_address_is_not_held_back(client, applicant):
    for n in range(4):
        ask(client, "someone@example.org", address=f"198.51.100.{n}")

    assert ask(client, applicant.email, address="203.0.113.4").status_code == 302
    assert len(mail.outbox) == 1


def test_choosing_a_new_password_lifts_the_lock_on_the_account(client, applicant):
    for n in range(5):
        sign_in(client, applicant.email, "wrong", address=f"198.51.100.{n}")
    ask(client, applicant.email)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/") :]

    form_page = client.get(path, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )

    assert done.status_code == 302
    assert sign_in(client, applicant.email, "a-new-long-passphrase", address="198.51.100.20").status_code == 302
    assert sign_in(client, applicant.email, PASSWORD).status_code == 200  # the old password no longer works
