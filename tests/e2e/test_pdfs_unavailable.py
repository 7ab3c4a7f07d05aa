"""A server without Pango, in the browser: the award page says PDFs are unavailable instead of offering the letter,
and the letter's address answers a plain page (503) that leads back to the award; both pass axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..factories import AwardFactory
from ..lib.without_pango import without_pango  # noqa: F401 - a fixture; the live server runs in this process

SENTENCE = "PDFs are unavailable on this server (WeasyPrint needs Pango: see the README)."


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("without_pango")
def test_without_pango_the_award_and_its_letter_address_say_so_plainly(
    page, live_server, demo, login, assert_accessible
):
    award = AwardFactory()
    award_url = f"{live_server.url}{reverse('awards:award', args=[award.pk])}"
    login(page, live_server, "staff@example.org", demo["password"])

    page.goto(award_url)
    expect(page.get_by_text(SENTENCE)).to_be_visible()
    expect(page.get_by_role("link", name="Download the award letter (PDF)")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}{reverse('awards:award-letter', args=[award.pk])}")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("PDFs are unavailable on this server")
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to award {award.number}").click()
    page.wait_for_url(award_url)
