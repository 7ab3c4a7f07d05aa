"""A round's published parts: its rubric's criteria and the attachments it requires.

Once a round opens they are frozen (services.frozen_reason: applicants rely on them), so a process reads an open
round's parts once and keeps them for the pages that show them on every request (an application's overview, its
sections, its results). They are kept by the round's row and the moment it opened from draft (`Round.opened_at`,
emptied when it returns to draft): a round sent back to draft, changed and opened again is read anew in every
process. A draft round's parts are read each time. Saving or deleting one of a round's criteria or required
attachments in this process forgets what it kept of that round (the signals below), which covers the shell and the
tests; the site itself changes them only while the round is a draft.

The kept rows are shared between requests: read them, never change them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Criterion, RequiredAttachment, Round

# Rounds are few; this bounds what a long-lived process keeps if many are made (tests, copies).
KEEP_AT_MOST = 64


@dataclass(frozen=True)
class PublishedParts:
    criteria: tuple[Criterion, ...]
    required_attachments: tuple[RequiredAttachment, ...]


_kept: dict[tuple[int, datetime, datetime | None], PublishedParts] = {}


def _read(round_: Round) -> PublishedParts:
    return PublishedParts(
        criteria=tuple(Criterion.objects.filter(round_id=round_.pk).order_by("position", "pk")),
        required_attachments=tuple(RequiredAttachment.objects.filter(round_id=round_.pk).order_by("position", "pk")),
    )


def published_parts(round_: Round) -> PublishedParts:
    """The round's criteria and required attachments, in their order: read once per process for a round that has
    opened, for a draft each time it is asked for on a new instance (its rows may change)."""
    if round_.status == Round.Status.DRAFT:
        # Read each time it is asked for anew; kept on this instance for the rest of the request's checks.
        parts = round_.__dict__.get("_published_parts")
        if parts is None:
            parts = round_.__dict__["_published_parts"] = _read(round_)
        return parts
    key = (round_.pk, round_.created_at, round_.opened_at)
    parts = _kept.get(key)
    if parts is None:
        if len(_kept) >= KEEP_AT_MOST:
            _kept.clear()
        parts = _kept[key] = _read(round_)
    return parts


def forget(round_id: int) -> None:
    for key in [key for key in _kept if key[0] == round_id]:
        _kept.pop(key, None)


@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=RequiredAttachment)
def _part_changed(sender, instance, **kwargs):
    forget(instance.round_id)


@receiver([post_save, post_delete], sender=Round)
def _round_changed(sender, instance, **kwargs):
    forget(instance.pk)
