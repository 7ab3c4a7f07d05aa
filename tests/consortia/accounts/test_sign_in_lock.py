"""Repeated failed sign-ins lock the account, and separately the address, for a while, with a clear message."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from tests.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def fail(client, email, times, address="127.0.0.1"):
    return [sign_in(client, email, "wrong password", address=address) for _ in range(times)]


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_it_locks_the_account_after_five_failures_from_any_addresses(client, applicant):
    for attempt in range(4):
        assert sign_in(client, applicant.email, "wrong", address=f"198.51.100.{attempt}").status_code == 200

    locked = sign_in(client, applicant.email, "wrong", address="198.51.100.9")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is locked" in page
    assert "Try again after" in page
    assert "(in about 15 minutes)" in page
    assert 'value="ana@example.org"' in page  # the email typed is kept


def test_the_right_password_is_refused_while_the_account_is_locked(client, applicant):
    fail(client, applicant.email, 5, address="198.51.100.1")

    refused = sign_in(client, applicant.email, PASSWORD, address="203.0.113.7")

    assert refused.status_code == 429
    assert "Signing in is locked" in refused.content.decode()
    assert not is_signed_in(client)


def test_it_locks_an_address_that_fails_on_many_accounts(client, applicant, settings):
    for n in range(settings.CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"someone{n}@example.org", "guess", address="192.0.2.66")

    from_there = sign_in(client, applicant.email, PASSWORD, address="192.0.2.66")
    from_elsewhere = sign_in(client, applicant.email, PASSWORD, address="192.0.2.77")

    assert from_there.status_code == 429
    assert "Signing in is locked" in from_there.content.decode()
    assert from_elsewhere.status_code == 302
    assert is_signed_in(client)


def test_one_persons_typos_do_not_lock_out_the_others_at_the_same_address(client, applicant):
    # A school district signs in from behind one address: its colleague locked their own account, not the office.
    fail(client, "colleague@example.org", 5, address="192.0.2.10")

    assert sign_in(client, "colleague@example.org", "wrong", address="192.0.2.10").status_code == 429
    assert sign_in(client, applicant.email, PASSWORD, address="192.0.2.10").status_code == 302
    assert is_signed_in(client)


def test_an_email_typed_in_capitals_counts_for_the_same_account(client, applicant):
    for n, typed in enumerate(["ANA@example.org", "Ana@Example.org", " ana@example.org", "ana@EXAMPLE.ORG"]):
        sign_in(client, typed, "wrong", address=f"198.51.100.{n}")

    assert sign_in(client, "ana@example.org", "wrong", address="198.51.100.50").status_code == 429


def test_it_says_how_many_tries_are_left_after_two_failures(client, applicant):
    first = sign_in(client, applicant.email, "wrong")
    second = sign_in(client, applicant.email, "wrong")
    third = sign_in(client, applicant.email, "wrong")
    fourth = sign_in(client, applicant.email, "wrong")

    assert "before signing in is locked" not in first.content.decode()
    assert "You have 3 more tries before signing in is locked for 15 minutes." in second.content.decode()
    assert "You have 2 more tries" in third.content.decode()
    assert "You have 1 more try before" in fourth.content.decode()


def test_the_lock_ends_after_the_configured_minutes(client, applicant, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    fail(client, applicant.email, 5)
    assert sign_in(client, applicant.email).status_code == 429

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=6))

    assert sign_in(client, applicant.email).status_code == 302
    assert is_signed_in(client)


def test_signing_in_forgets_that_accounts_failures_from_that_address_but_not_the_addresss_others(client, applicant):
    fail(client, "stranger@example.org", 2, address="192.0.2.5")
    fail(client, applicant.email, 2, address="192.0.2.5")

    assert sign_in(client, applicant.email, address="192.0.2.5").status_code == 302

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["stranger@example.org"]


def test_the_address_is_read_through_the_proxy_setting(client, applicant, settings):
    settings.CCPT_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"guess{n}@example.org", "password": "x"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"spoofed, 198.51.100.{n}",
        )

    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == [f"198.51.100.{n}" for n in range(5)]
    # Five clients behind one proxy: no address reached the limit, so the proxy's own address is not locked.
    assert sign_in(client, applicant.email, address="10.0.0.2").status_code == 302


def test_an_administrator_unlocks_an_account_with_axes_reset_username(client, applicant):
    fail(client, applicant.email, 5, address="198.51.100.1")

    call_command("axes_reset_username", applicant.email)

    assert sign_in(client, applicant.email, address="198.51.100.2").status_code == 302
