"""Every sign-in, failure, sign-out, lock, password-reset request and second-factor change is in the audit trail,
with the address it came from."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from tests.factories import code_of, with_second_factor

from .conftest import age, enter_code, sign_in, typed_key_code, wait_out_the_throttle

pytestmark = pytest.mark.django_db

A = Event.Action


def trail():
    return list(Event.objects.order_by("pk").values_list("action", "actor_label", "summary", "ip_address"))


def test_a_sign_in_and_a_sign_out_are_recorded_with_the_address(client, applicant):
    sign_in(client, applicant.email, address="198.51.100.7")
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.7")

    assert trail() == [
        (A.SIGN_IN, applicant.email, "Signed in with a password", "198.51.100.7"),
        (A.SIGN_OUT, applicant.email, "Signed out", "198.51.100.7"),
    ]
    assert Event.objects.filter(actor=applicant).count() == 2


def test_a_failed_sign_in_is_recorded_with_the_email_typed(client, applicant):
    sign_in(client, "Nobody@Example.org", "guess", address="203.0.113.9")

    assert trail() == [(A.SIGN_IN_FAILED, "nobody@example.org", "Wrong email or password", "203.0.113.9")]


def test_the_failure_that_locks_is_followed_by_the_lock_and_refusals_are_recorded_as_such(client, applicant):
    for _ in range(5):
        sign_in(client, applicant.email, "wrong", address="203.0.113.9")
    sign_in(client, applicant.email, address="203.0.113.9")

    actions = [(action, summary) for action, _, summary, _ in trail()]
    assert actions[-3:] == [
        (A.SIGN_IN_FAILED, "Wrong email or password"),
        (
            A.LOCKED_OUT,
            "Signing in locked for 15 minutes after 5 failures on this account or from this address",
        ),
        (A.SIGN_IN_FAILED, "Refused: signing in is locked after too many failures"),
    ]


def test_a_password_reset_request_is_recorded_with_the_email_typed(client, applicant):
    client.post("/accounts/password_reset/", {"email": "ANA@example.org"}, REMOTE_ADDR="192.0.2.4")
    client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, REMOTE_ADDR="192.0.2.4")

    assert trail() == [
        (A.PASSWORD_RESET, "ANA@example.org", "Asked for a password-reset link", "192.0.2.4"),
        (
            A.PASSWORD_RESET,
            "nobody@example.org",
            "Asked for a password-reset link; no active account uses this email",
            "192.0.2.4",
        ),
    ]


def test_second_factor_changes_and_wrong_codes_are_recorded(client, applicant):
    device = with_second_factor(applicant, codes=["k7d2m9qa"])
    sign_in(client, applicant.email, address="192.0.2.4")
    enter_code(client, "999999", address="192.0.2.4")
    enter_code(client, "k7d2m9qa", address="192.0.2.4")
    wait_out_the_throttle(device)
    client.post(reverse("accounts:new-recovery-codes"), {"new-code": code_of(device)}, REMOTE_ADDR="192.0.2.4")
    client.post(reverse("accounts:turn-off"), {"off-code": code_of(device, steps_ahead=1)}, REMOTE_ADDR="192.0.2.4")

    assert [(action, summary, address) for action, _, summary, address in trail()] == [
        (A.SIGN_IN, "Signed in with a password; a second-factor code is asked next", "192.0.2.4"),
        (A.SIGN_IN_FAILED, "Wrong second-factor code", "192.0.2.4"),
        (A.SECOND_FACTOR, "Used a recovery code; 0 left", "192.0.2.4"),
        (A.SECOND_FACTOR, "Made new recovery codes; the old ones no longer work", "192.0.2.4"),
        (A.SECOND_FACTOR, "Turned off two-factor authentication", "192.0.2.4"),
    ]
    assert Event.objects.filter(actor=applicant).count() == 5


def test_turning_it_on_is_recorded(client, applicant):
    client.force_login(applicant)
    page = client.get(reverse("accounts:set-up")).content.decode()
    client.post(reverse("accounts:set-up"), {"code": typed_key_code(page)}, REMOTE_ADDR="192.0.2.4")

    assert trail()[-1] == (A.SECOND_FACTOR, applicant.email, "Turned on two-factor authentication", "192.0.2.4")


def test_an_expired_session_is_recorded_as_a_sign_out_saying_why(client, staff):
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(minutes=45))
    client.get("/")

    assert trail()[-1][:3] == (A.SIGN_OUT, staff.email, "Session expired: no activity for 30 minutes")


def test_a_wrong_password_when_confirming_identity_is_recorded_once_by_re_authentication(client, applicant):
    client.force_login(applicant)

    client.post(reverse("confirm-identity"), {"reauth-password": "wrong", "next": "/"})

    assert [action for action, *_ in trail()] == [A.SIGN_IN, A.REAUTHENTICATION_FAILED]
