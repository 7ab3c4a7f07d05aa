"""Staff reach a submitted application's copy, PDF and files from the screening page and the submissions list,
through the permission-checked views; nobody else gets through those links."""

import re

import pytest
from django.urls import reverse

from grants.applications.models import Attachment
from grants.applications.services import submission as service
from tests.factories import (
    AttachmentFactory,
    ConsortiumFactory,
    UserFactory,
    contact_of,
    lead_of,
    submittable_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_with_letter():
    """A submitted application with its required attachment and a partner's commitment letter."""
    application = submittable_application()
    partner = application.partners.get()
    partner.letter = AttachmentFactory(application=application, original_name="letter-of-commitment.pdf")
    partner.save()
    service.submit_application(application=application, by=lead_of(application))
    return application


def _links(page: str) -> set[str]:
    return set(re.findall(r'href="(/applications/\d+/[^"#]*)', page))


def _screening_page(client, application):
    submission = application.submissions.get(is_current=True)
    return client.get(reverse("applications:submission-screening", args=[submission.pk]))


def _expected_links(application) -> set[str]:
    files = {reverse("applications:attachment", args=[application.pk, a.pk]) for a in application.attachments.all()}
    return {
        reverse("applications:submission", args=[application.pk]),
        reverse("applications:submission-pdf", args=[application.pk]),
        *files,
    }


def test_the_screening_page_links_the_submitted_copy_its_pdf_and_every_file(staff_client, submitted_with_letter):
    response = _screening_page(staff_client, submitted_with_letter)

    page = response.content.decode()
    assert _expected_links(submitted_with_letter) <= _links(page)
    assert page.count("letter-of-commitment.pdf") == 1  # a letter is among the attachments too: listed once
    assert "Commitment letter of Valley Health Partners" in page
    assert "Consortium agreement (signed)" in page


def test_the_submissions_list_links_each_submitted_copy_its_pdf_and_its_files(staff_client, submitted_with_letter):
    copy = reverse("applications:submission", args=[submitted_with_letter.pk])

    page = staff_client.get(reverse("applications:submissions", args=[submitted_with_letter.round_id])).content.decode()

    assert f'href="{copy}"' in page
    assert f'href="{reverse("applications:submission-pdf", args=[submitted_with_letter.pk])}"' in page
    assert f'href="{copy}#snap-attachments"' in page
    # where "Files" leads, every file is a download link
    snapshot = staff_client.get(copy).content.decode()
    for attachment in submitted_with_letter.attachments.all():
        assert f'href="{attachment.get_absolute_url()}"' in snapshot


def test_staff_open_every_link_of_the_screening_page(staff_client, submitted_with_letter):
    links = _expected_links(submitted_with_letter)
    assert len(links) == 4  # the copy, the PDF, the required attachment and the letter

    for url in links:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    download = staff_client.get(next(u for u in links if "/files/" in u))
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", ["applicant of another consortium", "reader"])
def test_nobody_else_gets_through_those_links(client, submitted_with_letter, who, reader_user):
    intruder = reader_user if who == "reader" else contact_of(ConsortiumFactory())
    client.force_login(intruder)

    for url in _expected_links(submitted_with_letter):
        assert client.get(url).status_code in (403, 404), url
    assert _screening_page(client, submitted_with_letter).status_code == 403
    assert client.get(reverse("applications:submissions", args=[submitted_with_letter.round_id])).status_code == 403


def test_a_file_of_another_application_is_not_reached_by_changing_the_link(staff_client, submitted_with_letter):
    stranger = AttachmentFactory(uploaded_by=UserFactory())

    response = staff_client.get(reverse("applications:attachment", args=[submitted_with_letter.pk, stranger.pk]))

    assert response.status_code == 404


def test_an_earlier_submission_lists_its_files_and_says_which_are_gone(staff_client, submitted_with_letter):
    earlier = submitted_with_letter.submissions.get(is_current=True)
    letter = Attachment.objects.get(original_name="letter-of-commitment.pdf")
    earlier.is_current = False
    earlier.save()
    letter_url = letter.get_absolute_url()
    letter.delete()

    page = staff_client.get(reverse("applications:submission-screening", args=[earlier.pk])).content.decode()

    assert "A later submission replaced this one" in page
    assert "letter-of-commitment.pdf" in page and "(replaced or deleted since)" in page
    assert f'href="{letter_url}"' not in page
    assert reverse("applications:submission", args=[submitted_with_letter.pk]) not in _links(page)
