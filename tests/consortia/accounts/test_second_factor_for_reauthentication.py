"""has_second_factor and verify_second_factor, which re-authentication asks in place of a password."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consortia.accounts.second_factor import has_second_factor, verify_second_factor
from tests.factories import TOTPDeviceFactory, UserFactory, code_of, with_second_factor

from .conftest import wait_out_the_throttle

pytestmark = pytest.mark.django_db


def test_only_a_confirmed_authenticator_counts_as_a_second_factor(applicant):
    TOTPDeviceFactory(user=applicant, confirmed=False)
    assert not has_second_factor(applicant)
    assert not has_second_factor(AnonymousUser())

    with_second_factor(applicant)
    assert has_second_factor(applicant)


def test_the_current_code_is_accepted_once(applicant):
    device = with_second_factor(applicant)
    code = code_of(device)

    assert verify_second_factor(applicant, code)
    assert not verify_second_factor(applicant, code)


def test_a_recovery_code_is_accepted_once(applicant):
    with_second_factor(applicant, codes=["k7d2m9qa"])

    assert verify_second_factor(applicant, "k7d2-m9qa")
    assert not verify_second_factor(applicant, "k7d2m9qa")


def test_a_wrong_code_or_another_persons_code_is_refused(applicant):
    device = with_second_factor(applicant)
    other = with_second_factor(UserFactory(), codes=["zzzzyyyy"])

    assert not verify_second_factor(applicant, "")
    assert not verify_second_factor(applicant, "zzzzyyyy")
    wait_out_the_throttle(device)
    assert not verify_second_factor(applicant, code_of(other))
    wait_out_the_throttle(device)
    assert verify_second_factor(applicant, code_of(device))


def test_codes_are_throttled_after_a_wrong_one(applicant):
    device = with_second_factor(applicant)

    assert not verify_second_factor(applicant, "000000")
    assert not verify_second_factor(applicant, code_of(device))  # too soon after the wrong one
    wait_out_the_throttle(device)
    assert verify_second_factor(applicant, code_of(device))
