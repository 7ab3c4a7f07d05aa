"""Uploading attachments: checked by content and size, stored under MEDIA_ROOT, replaced and deleted while draft."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from grants.applications.models import Attachment
from tests.factories import SMALL_PDF, ContactFactory, lead_of, sha256_of, submittable_application

pytestmark = pytest.mark.django_db


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, kind)
    return buffer.getvalue()


def office(main_part: str) -> bytes:
    """A minimal Office Open XML package: content types, relationships and the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(main_part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


@pytest.fixture
def application():
    return submittable_application()


@pytest.fixture
def lead_client(client, application):
    client.force_login(lead_of(application))
    return client


def upload(client, application, name, content, required=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if required is not None:
        data["required_attachment"] = str(required.pk)
    return client.post(reverse("applications:attachment-upload", args=[application.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budget.pdf", SMALL_PDF, "application/pdf"),
        ("map.png", image("PNG"), "image/png"),
        ("site.jpg", image("JPEG"), "image/jpeg"),
        (
            "letter.docx",
            office("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            office("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_it_accepts_the_allowed_kinds_of_file(lead_client, application, name, content, content_type):
    response = upload(lead_client, application, name, content)

    assert response.status_code == 302
    stored = application.attachments.get(original_name=name)
    assert stored.content_type == content_type
    assert stored.size == len(content)
    assert stored.sha256 == sha256_of(content)
    assert stored.uploaded_by == lead_of(application)
    assert stored.file.read() == content


def test_files_are_stored_under_media_root_with_a_random_name(lead_client, application):
    upload(lead_client, application, "budget.pdf", SMALL_PDF)

    stored = application.attachments.get(original_name="budget.pdf")
    path = Path(stored.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to((Path(settings.BASE_DIR) / "static").resolve())
    assert "budget" not in path.name
    assert path.read_bytes() == SMALL_PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", b"Dear readers, this is plain text pretending to be a PDF.", "is not a PDF"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "is not a PDF"),
        ("photo.pdf", image("PNG"), "its content is PNG"),
        ("letter.docx", SMALL_PDF, "its content is PDF"),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_what_it_claims(lead_client, application, name, content, message):
    before = application.attachments.count()

    response = upload(lead_client, application, name, content)

    assert response.status_code == 200
    html = response.content.decode()
    assert name in html
    assert message in html
    assert application.attachments.count() == before


def test_it_refuses_a_file_over_the_size_limit(lead_client, application, settings):
    settings.CCPT_MAX_UPLOAD_MB = 1
    too_big = SMALL_PDF + bytes(1024 * 1024)

    response = upload(lead_client, application, "huge.pdf", too_big)

    assert response.status_code == 200
    html = response.content.decode()
    assert "huge.pdf" in html
    assert "the limit is 1 MB" in html
    assert not application.attachments.filter(original_name="huge.pdf").exists()


def test_it_accepts_a_file_just_at_the_size_limit(lead_client, application, settings):
    settings.CCPT_MAX_UPLOAD_MB = 1
    exactly = SMALL_PDF + bytes(1024 * 1024 - len(SMALL_PDF))

    assert upload(lead_client, application, "exact.pdf", exactly).status_code == 302


def test_an_empty_post_shows_a_message_and_not_an_error_page(lead_client, application):
    response = lead_client.post(reverse("applications:attachment-upload", args=[application.pk]), {})

    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()


def test_an_empty_file_is_refused_by_name(lead_client, application):
    response = upload(lead_client, application, "blank.pdf", b"")

    assert response.status_code == 200
    html = response.content.decode()
    assert "“blank.pdf”: The file is empty." in html
    assert not application.attachments.filter(original_name="blank.pdf").exists()


def test_a_made_up_attachment_slot_is_refused_with_a_message(lead_client, application):
    response = lead_client.post(
        reverse("applications:attachment-upload", args=[application.pk]),
        {"file": SimpleUploadedFile("a.pdf", SMALL_PDF), "required_attachment": "99999999"},
    )

    assert response.status_code == 200
    assert "not one this round asks for" in response.content.decode()


def test_uploading_for_a_required_attachment_replaces_the_previous_file(
    lead_client, application, django_capture_on_commit_callbacks
):
    old = application.attachments.get()
    old_path = Path(old.file.path)
    required = old.required_attachment

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(lead_client, application, "agreement-v2.pdf", SMALL_PDF + b"%v2", required=required)

    assert response.status_code == 302
    assert list(application.attachments.values_list("original_name", flat=True)) == ["agreement-v2.pdf"]
    assert application.attachments.get().required_attachment == required
    assert not old_path.exists()


def test_other_files_are_added_alongside(lead_client, application):
    upload(lead_client, application, "support-1.pdf", SMALL_PDF)
    upload(lead_client, application, "support-2.pdf", SMALL_PDF)

    assert application.attachments.filter(required_attachment=None).count() == 2


def test_a_draft_attachment_can_be_deleted_after_confirming(
    lead_client, application, django_capture_on_commit_callbacks
):
    attachment = application.attachments.get()
    path = Path(attachment.file.path)
    url = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    assert "Delete “agreement.pdf”?" in lead_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url)

    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()


def test_a_partner_contact_can_upload_too(client, application):
    client.force_login(ContactFactory(consortium=application.consortium, role="partner", user__password=None).user)

    assert upload(client, application, "support.pdf", SMALL_PDF).status_code == 302


def test_someone_from_another_consortium_cannot_upload(client, application):
    client.force_login(ContactFactory(user__password=None).user)

    assert upload(client, application, "support.pdf", SMALL_PDF).status_code == 403
    assert not application.attachments.filter(original_name="support.pdf").exists()


def test_the_list_shows_size_type_uploader_time_and_checksum(lead_client, application):
    attachment = application.attachments.get()

    html = lead_client.get(reverse("applications:attachments", args=[application.pk])).content.decode()

    assert "agreement.pdf" in html
    assert "PDF" in html
    assert f"{attachment.size}\xa0bytes" in html
    assert str(lead_of(application)) in html
    assert ("PST" in html) or ("PDT" in html)
    assert attachment.sha256 in html
    assert "Uploaded:" in html


def test_the_list_marks_a_missing_required_attachment_in_words(lead_client, application):
    application.attachments.all().delete()

    html = lead_client.get(reverse("applications:attachments", args=[application.pk])).content.decode()

    assert "Missing:" in html


def test_the_list_takes_the_same_number_of_queries_for_many_files(
    lead_client, application, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse("applications:attachments", args=[application.pk])
    with django_assert_max_num_queries(20) as one_file:
        lead_client.get(url)
    queries = len(one_file)
    for n in range(10):
        upload(lead_client, application, f"support-{n}.pdf", SMALL_PDF)

    with django_assert_num_queries(queries):
        response = lead_client.get(url)
    assert "support-9.pdf" in response.content.decode()
