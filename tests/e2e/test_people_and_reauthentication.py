"""The administrator finds a person on the People page and changes their roles; with a password entered too long
ago, the site asks for it again and then saves what was chosen. Pages pass axe."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from consortia.models import User


def _password_entered_minutes_ago(page, minutes: int) -> None:
    """Age the browser's session as if the password had been entered `minutes` ago."""
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session["authenticated_at"] = (timezone.now() - timedelta(minutes=minutes)).isoformat()
    session.save()


@pytest.mark.django_db(transaction=True)
def test_the_administrator_gives_the_reader_a_role_after_confirming_it_is_them(
    page, live_server, demo, login, assert_accessible
):
    login(page, live_server, "admin@example.org", demo["password"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    page.get_by_label("Name or email").fill("riley")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 person matches.")).to_be_visible()
    page.get_by_role("link", name="Riley Reader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles of Riley Reader")
    assert_accessible(page)

    _password_entered_minutes_ago(page, 20)
    page.get_by_label("Program staff").check()
    page.get_by_label("Reason").fill("Joining the staff for round 2.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it’s you")
    expect(page.get_by_label("Your password")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("That password is not right. Nothing you entered was lost; try again.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill(demo["password"])
    page.get_by_role("button", name="Confirm and continue").click()

    expect(
        page.get_by_text("Roles: Reader → Reader, Program staff (Joining the staff for round 2.)").first
    ).to_be_visible()
    reader = User.objects.get(email="reader@example.org")
    assert reader.is_program_staff and reader.is_reader


@pytest.mark.django_db(transaction=True)
def test_the_administrator_is_told_why_they_cannot_remove_their_own_role(page, live_server, demo, login):
    login(page, live_server, "admin@example.org", demo["password"])
    administrator = demo["users"]["admin@example.org"]
    page.goto(f"{live_server.url}/people/{administrator.pk}/roles/")

    page.get_by_label("Administrator").uncheck()
    page.get_by_label("Program staff").check()
    page.get_by_label("Reason").fill("Stepping down.")
    page.get_by_role("button", name="Save").click()

    expect(
        page.get_by_text("You cannot remove your own Administrator role: another administrator must do it")
    ).to_be_visible()
    assert User.objects.get(pk=administrator.pk).is_administrator
