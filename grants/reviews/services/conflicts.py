"""Conflicts of interest between readers and applications.

A reader is in conflict with an application when they are affiliated with its consortium's lead agency or any
member organization, or when a conflict with the consortium or one of those organizations was declared by the
reader or recorded by staff.
"""

from django.db.models import Exists, OuterRef, Q

from consortia.models import Affiliation, Membership
from grants.applications.models import Application

from ..models import Conflict


def _organization_ids(application: Application) -> set[int]:
    ids = set(
        Membership.objects.filter(consortium_id=application.consortium_id).values_list("organization_id", flat=True)
    )
    ids.add(application.consortium.lead_agency_id)
    return ids


def reasons(*, reader, application: Application) -> list[str]:
    """Why this reader may not read this application; empty when they may."""
    org_ids = _organization_ids(application)
    found = [
        f"Affiliated with {a.organization}"
        for a in Affiliation.objects.filter(user=reader, organization_id__in=org_ids).select_related("organization")
    ]
    declared = Conflict.objects.filter(reader=reader).filter(
        Q(consortium_id=application.consortium_id) | Q(organization_id__in=org_ids)
    )
    found += [f"{c.get_source_display()}: {c.reason}" for c in declared]
    return found


def has_conflict(*, reader, application: Application) -> bool:
    return bool(reasons(reader=reader, application=application))


def in_conflict(reader) -> Q:
    """The same rule as reasons(), as a filter on applications (the reader's search): true where the reader is
    affiliated with, or has a recorded conflict with, the application's consortium, its lead agency or a member."""
    tied = Q(organization_id=OuterRef("consortium__lead_agency_id")) | Q(
        organization__memberships__consortium_id=OuterRef("consortium_id")
    )
    declared = Q(consortium_id=OuterRef("consortium_id")) | tied
    return Q(Exists(Affiliation.objects.filter(tied, user=reader))) | Q(
        Exists(Conflict.objects.filter(declared, reader=reader))
    )


def conflicted_pairs(*, applications, reader_ids=None) -> dict[tuple[int, int], str]:
    """Every (reader id, application id) in conflict among these applications, in a fixed number of queries.

    Read from the readers' side: their affiliations and recorded conflicts (few; most readers have none), then only
    the memberships of the organizations these name, not every member of every consortium applying."""
    apps = list(applications.values_list("pk", "consortium_id", "consortium__lead_agency_id"))
    consortium_ids = {c for _, c, _ in apps}
    affiliations = Affiliation.objects.all()
    declared = Conflict.objects.filter(Q(consortium_id__in=consortium_ids) | Q(organization__isnull=False))
    if reader_ids is not None:
        affiliations = affiliations.filter(user_id__in=reader_ids)
        declared = declared.filter(reader_id__in=reader_ids)
    # The same wording as reasons(), so that every page explains a conflict the same way.
    readers_by_org: dict[int, dict[int, str]] = {}
    for user_id, org_id, org_name in affiliations.values_list("user_id", "organization_id", "organization__name"):
        readers_by_org.setdefault(org_id, {}).setdefault(user_id, f"Affiliated with {org_name}")
    declared_by_consortium: dict[int, dict[int, str]] = {}
    sources = dict(Conflict.Source.choices)
    for reader_id, consortium_id, org_id, source, reason in declared.values_list(
        "reader_id", "consortium_id", "organization_id", "source", "reason"
    ):
        text = f"{sources.get(source, source)}: {reason}"
        if consortium_id:
            declared_by_consortium.setdefault(consortium_id, {}).setdefault(reader_id, text)
        if org_id:
            readers_by_org.setdefault(org_id, {}).setdefault(reader_id, text)

    # The organizations of each consortium that some reader is tied to: its lead agency and such members. (Named
    # by subqueries, not by the list read above: a reader tied to nothing asks the same queries as any other.)
    tied = Q(organization_id__in=affiliations.values("organization_id")) | Q(
        organization_id__in=declared.filter(organization__isnull=False).values("organization_id")
    )
    orgs_by_consortium: dict[int, set[int]] = {c: set() for c in consortium_ids}
    members = Membership.objects.filter(tied, consortium_id__in=consortium_ids)
    for consortium_id, org_id in members.values_list("consortium_id", "organization_id"):
        orgs_by_consortium[consortium_id].add(org_id)
    for _, consortium_id, lead_id in apps:
        orgs_by_consortium[consortium_id].add(lead_id)

    pairs: dict[tuple[int, int], str] = {}
    for app_id, consortium_id, _ in apps:
        for org_id in sorted(orgs_by_consortium[consortium_id]):
            for reader_id, text in readers_by_org.get(org_id, {}).items():
                pairs.setdefault((reader_id, app_id), text)
        for reader_id, text in declared_by_consortium.get(consortium_id, {}).items():
            pairs.setdefault((reader_id, app_id), text)
    return pairs
