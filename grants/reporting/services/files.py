"""Files a lead agency attaches to a report, checked by content as an application's attachments are."""

from pathlib import PurePath

from django.db import transaction

from grants.applications.services.attachments import checked_upload

from ..models import ProgressReport, ReportAttachment
from .reports import require_open


def attach_file(*, report: ProgressReport, upload, by) -> ReportAttachment:
    """A file attached to an open report, checked by its content (PDF, Word, Excel, PNG or JPEG, within the size
    limit: grants.applications.services.attachments); a Refusal saying what is wrong with it otherwise."""
    content_type, sha256 = checked_upload(upload)
    with transaction.atomic():
        locked = require_open(report)
        return ReportAttachment.objects.create(
            report=locked,
            file=upload,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
            uploaded_by=by,
        )


def remove_file(*, attachment: ReportAttachment) -> None:
    """A file taken off an open report; the versions submitted before keep its name and checksum."""
    with transaction.atomic():
        require_open(attachment.report)
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: ReportAttachment.file.field.storage.delete(name))
