"""Uploads: what may be attached, checked by content (not only by name), and how it is stored."""

import hashlib
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ccpt.lib.refusal import Refusal
from grants.programs.models import RequiredAttachment

from ..models import Application, Attachment
from .file_content import check_content

# Detected content type -> the file name endings that may carry it.
ALLOWED_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
}
ALLOWED_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"


def max_upload_bytes() -> int:
    return settings.CCPT_MAX_UPLOAD_MB * 1024 * 1024


def validate_upload(upload: UploadedFile) -> str:
    """Return the detected content type, or raise ValidationError saying what is wrong: its size, its kind, or
    what is inside it (file_content.py: office files that expand too far, PDFs with scripts)."""
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {settings.CCPT_MAX_UPLOAD_MB} MB."
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    suffix = PurePath(upload.name).suffix.lower()
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(f"“{upload.name}” is not a {ALLOWED_DESCRIPTION} file.")
    if suffix not in ALLOWED_TYPES[kind.mime]:
        raise ValidationError(
            f"“{upload.name}” is named {suffix or 'without an extension'} but its content is "
            f"{kind.extension.upper()}; rename it or export it again."
        )
    check_content(upload, PurePath(upload.name).name, kind.mime)
    return kind.mime


def checked_upload(upload: UploadedFile, *, field: str = "file") -> tuple[str, str]:
    """The upload's detected content type and SHA-256, or a Refusal saying what is wrong with it (its message also
    under `field`). Every file the site keeps is checked here: an application's, a report's, a message's, an
    appeal's."""
    try:
        content_type = validate_upload(upload)
    except ValidationError as invalid:
        raise Refusal(invalid.messages[0], errors={field: invalid.messages[0]}) from invalid
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


def store_attachment(
    *, application: Application, upload: UploadedFile, by, required_attachment: RequiredAttachment | None = None
) -> Attachment:
    content_type, sha256 = checked_upload(upload)  # the form checked it too; this is the last word
    return Attachment.objects.create(
        application=application,
        required_attachment=required_attachment,
        file=upload,
        original_name=PurePath(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=by,
    )


# Attachments of a draft, which become part of what is submitted


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_draft(user, application: Application) -> None:
    if not user.has_perm("applications.change_application", application):
        raise PermissionDenied("This application can no longer be changed.")


def _discard_file(name: str) -> None:
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(name))


def upload_attachment(
    *, application: Application, upload: UploadedFile, by, required_attachment: RequiredAttachment | None = None
) -> Attachment:
    """Store an upload for a draft; a file for a required attachment replaces the one there was.

    Raises PermissionDenied when the application cannot be changed (e.g. it was submitted meanwhile)
    and Refusal when the file is not acceptable.
    """
    with transaction.atomic():
        locked = _lock(application)
        _require_draft(by, locked)
        if required_attachment is not None and required_attachment.round_id != locked.round_id:
            raise ValueError("That required attachment belongs to another round.")
        replaced = (
            list(locked.attachments.filter(required_attachment=required_attachment)) if required_attachment else []
        )
        attachment = store_attachment(application=locked, upload=upload, by=by, required_attachment=required_attachment)
        for old in replaced:
            _discard_file(old.file.name)
            old.delete()
    return attachment


def delete_attachment(*, attachment: Attachment, by) -> None:
    with transaction.atomic():
        locked = _lock(attachment.application)
        _require_draft(by, locked)
        _discard_file(attachment.file.name)
        attachment.delete()
