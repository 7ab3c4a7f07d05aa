"""The reader pool through the browser: program staff invite a reader by email, the invited person opens the
emailed link, creates their account and lands as a reader; staff then add an affiliation and a load cap on the
reader's page. Every page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consortia.models import Organization, User

AFFILIATIONS = "Affiliations (organizations the reader works for or represents)"


@pytest.mark.django_db(transaction=True)
def test_staff_invite_a_reader_who_accepts_and_staff_set_their_affiliation_and_cap(
    page, browser, live_server, demo, login, assert_accessible
):
    round_ = demo["rounds"]["r2"]
    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/readers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reader pool")
    assert_accessible(page)
    page.get_by_role("link", name="Invite a reader").first.click()
    assert_accessible(page)
    page.get_by_label("Email address").fill("nora.newreader@example.org")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Newreader")
    page.get_by_label("Expertise (free text)").fill("Apprenticeship design")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation to read sent to nora.newreader@example.org.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Nora Newreader \(nora.newreader@example.org\), invited by"))).to_be_visible()
    assert_accessible(page)

    (invitation,) = [m for m in mail.outbox if m.to == ["nora.newreader@example.org"]]
    link = re.search(r"https?://[^/\s]+(/readers/invitations/[^/\s]+/)", invitation.body).group(1)
    newcomer = browser.new_context().new_page()
    newcomer.set_default_timeout(10_000)
    newcomer.goto(f"{live_server.url}{link}")
    expect(newcomer.get_by_text("nora.newreader@example.org")).to_be_visible()
    assert_accessible(newcomer)
    expect(newcomer.get_by_label("First name")).to_have_value("Nora")
    newcomer.get_by_label(re.compile(r"^\s*Password\W*$")).fill("a-long-pass-phrase-2026!")
    newcomer.get_by_label("Password again").fill("a-long-pass-phrase-2026!")
    newcomer.get_by_role("button", name="Create my account and accept").click()
    expect(newcomer.get_by_text("You are now a reader.")).to_be_visible()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("My reviews")
    assert_accessible(newcomer)
    newcomer.context.close()
    nora = User.objects.get(email="nora.newreader@example.org")
    assert nora.is_reader

    page.goto(f"{live_server.url}/readers/")
    page.get_by_role("link", name="Nora Newreader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Newreader")
    assert_accessible(page)
    organization = Organization.objects.order_by("name").first()
    page.get_by_label(AFFILIATIONS).select_option(value=str(organization.pk))
    page.get_by_role("button", name="Save affiliations and expertise").click()
    expect(page.get_by_text(f"Affiliations added: {organization.name}")).to_be_visible()
    assert_accessible(page)
    cap = page.get_by_role("button", name=f"Save the maximum for {round_}")
    page.locator("form").filter(has=cap).get_by_label(re.compile("Most applications this reader reads")).fill("5")
    cap.click()
    expect(page.get_by_text(f"Nora Newreader reads at most 5 in {round_}.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/readers/")
    row = page.get_by_role("row").filter(has_text="Nora Newreader")
    expect(row.get_by_role("cell", name="0 of 5")).to_be_visible()
    expect(row.get_by_role("cell", name=organization.name)).to_be_visible()
