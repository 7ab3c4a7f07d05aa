"""On a server without Pango the site still works: PDF links give way to a sentence, PDF addresses answer a plain
503 page, and award notices go on time without the attached letter."""

import logging

import pytest
from django.urls import reverse

from ccpt.lib import pdf
from grants.applications.services import submission as service
from grants.awards.models import Notice
from grants.awards.services.notices import deliver, resend
from tests.factories import (
    AwardFactory,
    ContactFactory,
    NoticeFactory,
    UserFactory,
    contact_of,
    lead_of,
    submittable_application,
)

from .without_pango import without_pango  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_pango")]

SENTENCE = "PDFs are unavailable on this server (WeasyPrint needs Pango: see the README)."


@pytest.fixture
def award():
    return AwardFactory()


@pytest.fixture
def submission():
    application = submittable_application()
    return service.submit_application(application=application, by=lead_of(application))


@pytest.fixture
def notice():
    notice = NoticeFactory()
    ContactFactory(consortium=notice.application.consortium, user__email="lead@crane.example.org")
    return notice


def test_it_says_pdfs_are_unavailable_and_logs_why_once(caplog):
    with caplog.at_level(logging.WARNING, logger="ccpt.lib.pdf"):
        assert pdf.pdf_available() is False
        assert pdf.pdf_available() is False

    (record,) = caplog.records
    assert "cannot load library 'libpango-1.0-0'" in record.getMessage()
    with pytest.raises(pdf.PdfUnavailable, match=r"PDFs are unavailable on this server"):
        pdf.render_pdf("awards/letter.html", {})


def test_the_award_page_says_so_instead_of_linking_the_letter(client, award):
    client.force_login(contact_of(award.consortium))

    response = client.get(reverse("awards:award", args=[award.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert SENTENCE in page
    assert reverse("awards:award-letter", args=[award.pk]) not in page
    assert "Download the award letter" not in page


def test_the_submitted_application_says_so_instead_of_offering_a_download(client, submission):
    client.force_login(lead_of(submission.application))

    response = client.get(reverse("applications:submission", args=[submission.application_id]))

    assert response.status_code == 200
    page = response.content.decode()
    assert SENTENCE in page
    assert reverse("applications:submission-pdf", args=[submission.application_id]) not in page


def test_asking_for_the_award_letter_answers_a_plain_page_with_503(client, award):
    client.force_login(contact_of(award.consortium))

    response = client.get(reverse("awards:award-letter", args=[award.pk]))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>PDFs are unavailable on this server</h1>" in page
    assert SENTENCE in page
    assert f'<a href="{reverse("awards:award", args=[award.pk])}">Back to award {award.number}</a>' in page


def test_asking_for_the_submission_pdf_answers_a_plain_page_with_503(client, submission):
    client.force_login(lead_of(submission.application))

    response = client.get(reverse("applications:submission-pdf", args=[submission.application_id]))

    assert response.status_code == 503
    page = response.content.decode()
    assert SENTENCE in page
    back = reverse("applications:submission", args=[submission.application_id])
    assert f'<a href="{back}">Back to the submitted application</a>' in page


def test_the_pdf_address_still_refuses_someone_who_may_not_see_the_award(client, award):
    client.force_login(UserFactory(role="Applicants"))

    assert client.get(reverse("awards:award-letter", args=[award.pk])).status_code == 403


def test_an_award_notice_goes_on_time_without_the_letter_and_says_where_to_get_it(notice, mailoutbox):
    assert deliver(notice_id=notice.pk) is True

    (message,) = mailoutbox
    assert message.attachments == []
    assert "is not attached to this email: download it from the award's page in CCPT Grants" in message.body
    assert reverse("awards:award", args=[notice.award_id]) in message.body
    assert "is attached as a PDF" not in message.body
    notice.refresh_from_db()
    assert notice.delivery == Notice.Delivery.SENT and notice.without_letter is True


def test_staff_see_which_notices_went_without_the_letter(client, notice, staff_user):
    deliver(notice_id=notice.pk)
    client.force_login(staff_user)

    page = client.get(reverse("awards:award", args=[notice.award_id])).content.decode()

    assert "<br>Without the award letter: PDFs were unavailable on the server (resend it once they work)." in page


def test_a_notice_resent_once_pdfs_work_carries_the_letter(
    notice, mailoutbox, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    deliver(notice_id=notice.pk)
    monkeypatch.undo()  # Pango is installed and the site restarted
    pdf.pdf_available.cache_clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = resend(notice=notice, by=staff_user, reason="The first went without the letter.")

    assert len(mailoutbox) == 2
    ((filename, content, _),) = mailoutbox[1].attachments
    assert filename == f"award-letter-{notice.award.number}.pdf" and content.startswith(b"%PDF")
    again.refresh_from_db()
    assert again.delivery == Notice.Delivery.SENT and again.without_letter is False
