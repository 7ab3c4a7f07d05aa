"""Keep search documents up to date: whatever saves an application's searched text marks it, and once the
transaction commits, the marked documents are rebuilt (services/index.py), one batch however many rows changed.

Signals rather than calls from each service: the text comes from four apps' models (applications, consortia and
their organizations), which may not import search, and a signal also catches the admin and the shell. Section
saves always save the application itself (its section_versions), which covers the narratives, programs and
partners they delete or bulk-write without signals. What a crash between the commit and the rebuild leaves
stale, `manage.py rebuild_search_index` puts right.

Nothing here queries the database: the receivers note ids, and the rebuild after commit reads what they name.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from consortia.models import Consortium, Membership, Organization
from grants.applications.models import Application, NarrativeResponse, PartnerCommitment, ProgramOfStudy

from .services.index import index_applications

# The application fields a search document reads; a save that names others only (a status change) changes nothing.
SEARCHED = {
    "number",
    "title",
    "summary",
    "target_group",
    "need_statement",
    "labor_market",
    "consortium",
    "consortium_id",
}
SECTION_SAVE = "section_versions"  # every section save writes it, whatever the section changed

_local = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_local, "pending"):
        _local.pending = {"applications": set(), "consortia": set(), "organizations": set()}
    return _local.pending


def mark(kind: str, pk: int) -> None:
    """Rebuild what depends on this object once the current transaction commits (at once outside one)."""
    _pending()[kind].add(pk)
    # One callback per mark, each rebuilding everything pending (as ccpt.background does): a callback dropped with
    # a rolled-back savepoint leaves the others to do its share.
    transaction.on_commit(flush, robust=True)


def flush() -> int:
    pending = _pending()
    applications, consortia, organizations = (set(pending[k]) for k in ("applications", "consortia", "organizations"))
    for ids in pending.values():
        ids.clear()
    if not (applications or consortia or organizations):
        return 0
    if organizations:
        consortia |= set(
            Consortium.objects.filter(lead_agency_id__in=organizations).values_list("pk", flat=True)
        ) | set(Membership.objects.filter(organization_id__in=organizations).values_list("consortium_id", flat=True))
        applications |= set(
            PartnerCommitment.objects.filter(organization_id__in=organizations).values_list("application_id", flat=True)
        )
    if consortia:
        applications |= set(Application.objects.filter(consortium_id__in=consortia).values_list("pk", flat=True))
    return index_applications(applications)


@receiver(post_save, sender=Application, dispatch_uid="search.application_saved")
def _application_saved(instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or set(update_fields) & (SEARCHED | {SECTION_SAVE}):
        mark("applications", instance.pk)


@receiver(post_save, sender=NarrativeResponse, dispatch_uid="search.narrative_saved")
@receiver(post_save, sender=ProgramOfStudy, dispatch_uid="search.program_saved")
@receiver(post_save, sender=PartnerCommitment, dispatch_uid="search.partner_saved")
def _part_saved(instance, **kwargs):
    mark("applications", instance.application_id)


@receiver(post_save, sender=Consortium, dispatch_uid="search.consortium_saved")
def _consortium_saved(instance, created, **kwargs):
    if not created:  # a new consortium has no application yet
        mark("consortia", instance.pk)


@receiver(post_save, sender=Membership, dispatch_uid="search.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="search.membership_deleted")
def _membership_changed(instance, **kwargs):
    mark("consortia", instance.consortium_id)


@receiver(post_save, sender=Organization, dispatch_uid="search.organization_saved")
def _organization_saved(instance, created, **kwargs):
    if not created:
        mark("organizations", instance.pk)
