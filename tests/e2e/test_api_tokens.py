"""API tokens through the browser: a person makes a token under Security (confirming their password when it was
entered too long ago), sees its secret once, uses it against the API, revokes it, and the same call is refused.
The token pages and the API reference pass axe."""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from .test_people_and_reauthentication import _password_entered_minutes_ago


def _awards(live_server, secret: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - the test's own server
        f"{live_server.url}/api/v1/awards/", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the test's own server
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.django_db(transaction=True)
def test_a_token_is_shown_once_works_and_stops_working_when_revoked(page, live_server, demo, login, assert_accessible):
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_role("link", name="API tokens").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Make a token").click()
    assert_accessible(page)
    page.get_by_label("What is it for?").fill("Nightly pull of awards")
    _password_entered_minutes_ago(page, 20)
    page.get_by_role("button", name="Make the token").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it’s you")
    page.get_by_label("Your password").fill(demo["password"])
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_text("Copy this token now.")).to_be_visible()
    assert_accessible(page)
    secret = page.get_by_label("Your token").input_value()
    assert secret.startswith("ccpt_")
    page.reload()
    expect(page.get_by_label("Your token")).to_have_count(0)
    expect(page.get_by_text("cannot be shown again")).to_be_visible()
    assert _awards(live_server, secret) == 200

    page.get_by_role("link", name="Back to your API tokens").click()
    row = page.get_by_role("row").filter(has_text="Nightly pull of awards")
    expect(row.get_by_role("cell", name="Usable")).to_be_visible()
    row.get_by_role("button", name="Revoke Nightly pull of awards").click()
    expect(page.get_by_text("it no longer works.")).to_be_visible()
    expect(row.get_by_role("cell", name="Revoked")).to_be_visible()
    assert_accessible(page)
    assert _awards(live_server, secret) == 401

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API")
    assert_accessible(page)
