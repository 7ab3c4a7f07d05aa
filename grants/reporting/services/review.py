"""Submitting a report (kept as a version, as it stands), and staff's review: returned with comments on its items,
or accepted; an accepted report's totals by segment are written for the outcomes across consortia."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from ccpt.lib.text import plural
from consortia.models import Organization
from grants import workflow
from grants.awards.models import Award

from ..models import ProgressReport, ReportComment, ReportTotal, ReportValue, ReportVersion
from .data_managers import member_organizations
from .reports import K12_KINDS, report_versions, reports_it, require_open

S = ProgressReport.Status

# The segment of a member, by its kind: how the outcomes compare K-12, community colleges and employers.
SEGMENT_OF_KIND = dict.fromkeys(K12_KINDS, ReportTotal.Segment.K12) | {
    Organization.Kind.COMMUNITY_COLLEGE: ReportTotal.Segment.COLLEGE,
    Organization.Kind.BUSINESS: ReportTotal.Segment.EMPLOYER,
}


# ---- Submitting and reviewing ---------------------------------------------------------------------------------


def missing_values(report: ProgressReport) -> list[str]:
    """What the lead agency must still give before submitting: each member's total of each indicator it reports."""
    versions = report_versions(report)
    have = set(ReportValue.objects.filter(report=report, breakdown="").values_list("organization_id", "indicator_id"))
    missing = []
    for organization in member_organizations(report.award.consortium):
        names = [
            version.name
            for version in versions
            if reports_it(version, organization) and (organization.pk, version.indicator_id) not in have
        ]
        if names:
            missing.append(f"{organization}: {', '.join(names)}")
    return missing


def _snapshot(report: ProgressReport) -> list[dict]:
    values = ReportValue.objects.filter(report=report).select_related("organization", "indicator", "version")
    return [
        {
            "organization_id": value.organization_id,
            "organization": value.organization.name,
            "code": value.indicator.code,
            "name": value.version.name,
            "version": value.version.number,
            "unit": value.version.unit,
            "breakdown": value.breakdown,
            "value": None if value.value is None else str(value.value),
            "numerator": value.numerator,
            "denominator": value.denominator,
        }
        for value in values
    ]


@transaction.atomic
def submit(*, report: ProgressReport, by, now: datetime | None = None) -> ReportVersion:
    """The lead agency submits the report as it stands; it is kept as a version, and no longer changes until staff
    return it. `now`: when, for reports filed before this site kept them (the demo's)."""
    locked = require_open(report)
    problems = []
    if missing := missing_values(locked):
        problems.append(
            "Give every member's value of each indicator it reports (0 when there is none): " + "; ".join(missing) + "."
        )
    if not locked.progress.strip():
        problems.append("Describe the consortium's progress this period.")
    if problems:
        raise Refusal("The report was not submitted. " + " ".join(problems), problems=problems)
    now = now or timezone.now()
    number = (locked.versions.count() or 0) + 1
    version = ReportVersion.objects.create(
        report=locked,
        number=number,
        submitted_by=by,
        submitted_at=now,
        values=_snapshot(locked),
        narrative={name: getattr(locked, name) for name in ProgressReport.NARRATIVE}
        | {
            "attachments": [
                {"name": a.original_name, "size": a.size, "sha256": a.sha256} for a in locked.attachments.all()
            ]
        },
    )
    late = ", late" if locked.submitted_at is None and now > locked.due_at else ""
    workflow.transition(
        report,
        S.SUBMITTED,
        by=by,
        reason=f"{locked.title}, version {number}{late}",
        changes={"submitted_by": by, "submitted_at": locked.submitted_at or now, "updated_by": by},
    )
    return version


def _pending(report: ProgressReport) -> tuple[ProgressReport, ReportVersion]:
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != S.SUBMITTED:
        raise Refusal(f"This report is {locked.get_status_display().lower()}: there is no submission to review.")
    return locked, locked.versions.order_by("-number").first()


@transaction.atomic
def return_report(
    *, report: ProgressReport, by, comment: str = "", item_comments: dict[str, tuple[str, str]], now=None
) -> ReportVersion:
    """Staff return a submitted report for changes, with comments on its items ({item: (label, text)}) and overall."""
    locked, version = _pending(report)
    comments = {item: (label, text.strip()) for item, (label, text) in item_comments.items() if text.strip()}
    if not comments and not comment.strip():
        raise Refusal("Say what must change: comment on the items to correct, or overall.")
    now = now or timezone.now()
    ReportComment.objects.bulk_create(
        [
            ReportComment(version=version, item=item, label=label, text=text, by=by)
            for item, (label, text) in comments.items()
        ]
    )
    version.outcome, version.decided_by, version.decided_at, version.comment = (
        ReportVersion.Outcome.RETURNED,
        by,
        now,
        comment.strip(),
    )
    version.save()
    workflow.transition(
        report,
        S.RETURNED,
        by=by,
        reason=f"{locked.title}, version {version.number}: {plural(len(comments), 'item comment', 'item comments')}"
        + (f"; {comment.strip()}" if comment.strip() else ""),
        changes={"decided_by": by, "decided_at": now},
    )
    return version


def items_to_comment(version) -> list[tuple[str, str]]:
    """What staff may comment on in a submission (a version, or a version as report_versions reads it), as
    (item, label): each answer ("narrative:<field>"), and each member's value of an indicator
    ("value:<organization id>:<indicator code>"). The keys of return_report's item_comments."""
    items = [
        (f"narrative:{name}", str(ProgressReport._meta.get_field(name).verbose_name).capitalize())
        for name in ProgressReport.NARRATIVE
    ]
    seen = set()
    for row in version.values:
        key = f"value:{row['organization_id']}:{row['code']}"
        if key not in seen:
            seen.add(key)
            items.append((key, f"{row['name']}, {row['organization']}"))
    return items


@transaction.atomic
def accept_report(*, report: ProgressReport, by, comment: str = "", now=None) -> ReportVersion:
    locked, version = _pending(report)
    now = now or timezone.now()
    version.outcome, version.decided_by, version.decided_at, version.comment = (
        ReportVersion.Outcome.ACCEPTED,
        by,
        now,
        comment.strip(),
    )
    version.save()
    workflow.transition(
        report,
        S.ACCEPTED,
        by=by,
        reason=f"{locked.title}, version {version.number}",
        changes={"decided_by": by, "decided_at": now},
    )
    write_totals(locked)
    return version


def industry_sector_of(award: Award) -> str:
    """The CTE industry sector of the award's pathways when they share one; "several" when not; "" when none."""
    sectors = set(award.application.programs.values_list("sector", flat=True))
    if len(sectors) > 1:
        return "several"
    return sectors.pop() if sectors else ""


def write_totals(report: ProgressReport) -> list[ReportTotal]:
    """The accepted report's totals of each indicator by segment (ReportTotal), written anew."""
    totals: dict[tuple, ReportTotal] = {}
    sector = industry_sector_of(report.award)
    values = ReportValue.objects.filter(report=report, breakdown="").values_list(
        "indicator_id", "version_id", "organization__kind", "value", "numerator", "denominator"
    )
    for indicator_id, version_id, kind, value, numerator, denominator in values:
        segment = SEGMENT_OF_KIND.get(kind, ReportTotal.Segment.OTHER)
        key = (indicator_id, version_id, segment)
        if key not in totals:
            totals[key] = ReportTotal(
                report=report,
                indicator_id=indicator_id,
                version_id=version_id,
                segment=segment,
                industry_sector=sector,
                members=0,
            )
        total = totals[key]
        total.value += value or 0
        total.numerator += numerator or 0
        total.denominator += denominator or 0
        total.members += 1
    ReportTotal.objects.filter(report=report).delete()
    return ReportTotal.objects.bulk_create(totals.values())
