"""What a restored backup is checked against: how many of each kind of record the database holds, the money drawn
from the set-aside, and whether every attachment's file is there (files live in DJANGO_MEDIA_ROOT, outside the
database, and are backed up beside it). `manage.py backup_check` prints it; README "Backups" has the drill."""

from django.contrib.auth import get_user_model
from django.db.models import Max, Sum

from ccpt.audit.models import Event
from ccpt.lib.money import ZERO
from consortia.models import Consortium
from grants.applications.models import Application, Attachment, Submission
from grants.awards.models import Award, Instalment, Notice
from grants.models import StatusChange
from grants.programs.models import Round
from grants.reviews.models import Review, Score
from grants.setaside.models import SetAsideEntry

COUNTED = {
    "people": get_user_model(),
    "consortia": Consortium,
    "rounds": Round,
    "applications": Application,
    "submissions": Submission,
    "attachments": Attachment,
    "reviews": Review,
    "scores": Score,
    "awards": Award,
    "award instalments": Instalment,
    "notices": Notice,
    "set-aside ledger rows": SetAsideEntry,
    "status changes": StatusChange,
    "audit events": Event,
}


def counts() -> dict[str, int | str]:
    """Figures that must be the same in a database and in its restored backup."""
    figures: dict[str, int | str] = {label: model.objects.count() for label, model in COUNTED.items()}
    figures["set-aside drawn"] = str(SetAsideEntry.objects.aggregate(total=Sum("amount"))["total"] or ZERO)
    figures["newest audit event"] = str(Event.objects.aggregate(newest=Max("at"))["newest"] or "")
    return figures


def missing_files() -> list[str]:
    """The stored names of attachments whose file is not in the media storage."""
    storage = Attachment.file.field.storage
    return [name for name in Attachment.objects.values_list("file", flat=True) if not storage.exists(name)]
