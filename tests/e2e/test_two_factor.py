"""An applicant turns on two-factor authentication in a real browser, signs out, and signs in again with a code
from the authenticator; then is locked after wrong passwords. Pages pass axe and break no Content-Security-Policy."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory, code_of


@pytest.fixture
def csp_violations(page):
    """Console messages about anything the Content-Security-Policy refused, collected while the test runs."""
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def _sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_an_applicant_turns_on_two_factor_and_signs_in_with_a_code(
    page, live_server, login, assert_accessible, csp_violations
):
    person = UserFactory(role="Applicants", email="lee@example.org", first_name="Lee", last_name="Park")
    login(page, live_server, person.email, PASSWORD)

    page.get_by_role("button", name="Lee Park").click()
    page.get_by_role("link", name="Security and two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Security")
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.locator("svg.qr-code")).to_be_visible()
    assert_accessible(page)
    key = page.locator("figcaption code").inner_text().replace(" ", "")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp makes the person wait a second after a wrong code
    page.get_by_label("Code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a text file").click()
    assert re.search(r"^[a-z2-7]{8}$", download.value.path().read_text(), re.MULTILINE)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("button", name="Lee Park").click()
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, person.email, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    page.goto(f"{live_server.url}/rounds/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    device = TOTPDevice.objects.get(user=person)
    page.get_by_label("Code").fill(code_of(device, steps_ahead=1))  # the set-up code's step is used up
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server.url}/rounds/")
    assert csp_violations == []


@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_lock_signing_in_with_a_clear_message(page, live_server, assert_accessible):
    person = UserFactory(role="Applicants", email="kim@example.org")
    for _ in range(2):
        _sign_in(page, live_server, person.email, "not my password")
    expect(page.get_by_text("You have 3 more tries before signing in is locked for 15 minutes.")).to_be_visible()
    assert_accessible(page)

    for _ in range(3):
        _sign_in(page, live_server, person.email, "not my password")

    expect(page.get_by_role("alert")).to_contain_text("Signing in is locked")
    expect(page.get_by_role("alert")).to_contain_text("in about 15 minutes")
    expect(page.get_by_label("Email address")).to_have_value(person.email)
    assert_accessible(page)
