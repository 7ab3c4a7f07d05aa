"""A request body larger than any page sends is refused with 413 and a page that says the limit, before it is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import SMALL_PDF, lead_of, submittable_application

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        pytest.fail("the body of a refused request was read")

    readline = read


@pytest.fixture
def application():
    return submittable_application()


@pytest.fixture
def upload_url(client, application, settings):
    settings.CCPT_MAX_UPLOAD_MB = 1
    settings.CCPT_REQUEST_MARGIN_MB = 1  # at most 2 MB in one request
    client.force_login(lead_of(application))
    return reverse("applications:attachment-upload", args=[application.pk])


def test_a_body_declared_over_the_limit_is_refused_unread_with_the_limits_in_words(client, application, upload_url):
    response = client.post(
        upload_url,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much to send at once" in page
    assert "What you sent was 3.0 MB; the site takes at most 2 MB in one go, and each file can be at most 1 MB." in page
    assert "Nothing was saved." in page
    assert application.attachments.count() == 1  # the one it had


def test_a_real_upload_over_the_limit_gets_the_page_and_is_not_stored(client, application, upload_url):
    response = client.post(upload_url, {"file": SimpleUploadedFile("scan.pdf", SMALL_PDF + bytes(2_200_000))})

    assert response.status_code == 413
    assert not application.attachments.filter(original_name="scan.pdf").exists()


def test_a_body_within_the_limit_reaches_the_page_which_checks_each_file(client, application, upload_url):
    response = client.post(upload_url, {"file": SimpleUploadedFile("scan.pdf", SMALL_PDF + bytes(1_500_000))})

    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()


def test_a_chunked_body_without_a_length_is_refused_rather_than_read_as_empty(client, upload_url):
    response = client.generic(
        "POST", upload_url, b"", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": Unreadable()}
    )

    assert response.status_code == 411
    assert "It did not say how long what it sent was." in response.content.decode()


def test_a_length_that_is_not_a_number_is_a_bad_request(client, upload_url):
    response = client.generic("POST", upload_url, b"", CONTENT_LENGTH="lots", **{"wsgi.input": Unreadable()})

    assert response.status_code == 400
    assert "It gave a length that is not a number." in response.content.decode()


def test_pages_without_a_body_are_served_as_always(client, application, upload_url):
    response = client.get(reverse("applications:attachments", args=[application.pk]))

    assert response.status_code == 200
    assert "agreement.pdf" in response.content.decode()


def test_more_text_than_a_page_takes_gets_a_page_that_says_so(client, application, upload_url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    url = reverse("applications:application-section", args=[application.pk, "summary"])

    response = client.post(url, {"section_version": "0", "summary": "x" * 20_000})

    assert response.status_code == 400
    page = response.content.decode()
    assert "What you sent could not be read" in page and "Nothing was saved." in page
