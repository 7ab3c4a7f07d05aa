"""Progress reports: what an award's consortium reports each period, member organization by member organization.

Values are entered in the site or uploaded as a CSV of the report's own template. A draft keeps whatever was valid;
what was not is named with a clear message and kept on the page for correction. The lead agency's staff submit;
program staff accept, or return the report with comments on its items; each submission is kept as a version.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from ccpt.lib.text import plural
from consortia.models import Organization
from grants import workflow
from grants.applications.services.attachments import validate_upload
from grants.awards.models import Award

from ..models import (
    BREAKDOWN_VALUES,
    DataManager,
    IndicatorVersion,
    ProgressReport,
    ReportAttachment,
    ReportComment,
    ReportTotal,
    ReportValue,
    ReportVersion,
)
from . import plans
from .data_managers import member_organizations

S = ProgressReport.Status
V = IndicatorVersion

# Which kinds of organization report an indicator, by its reporter codes.
K12_KINDS = {
    Organization.Kind.SCHOOL_DISTRICT,
    Organization.Kind.COUNTY_OFFICE,
    Organization.Kind.CHARTER_SCHOOL,
    Organization.Kind.ROCP,
}
REPORTER_KINDS = {
    V.Reporter.K12: K12_KINDS,
    V.Reporter.COLLEGE: {Organization.Kind.COMMUNITY_COLLEGE},
    V.Reporter.EMPLOYER: {Organization.Kind.BUSINESS},
}

# The segment of a member, by its kind: how the outcomes compare K-12, community colleges and employers.
SEGMENT_OF_KIND = dict.fromkeys(K12_KINDS, ReportTotal.Segment.K12) | {
    Organization.Kind.COMMUNITY_COLLEGE: ReportTotal.Segment.COLLEGE,
    Organization.Kind.BUSINESS: ReportTotal.Segment.EMPLOYER,
}

CSV_HEADER = [
    "organization_id",
    "organization",
    "indicator",
    "version",
    "breakdown",
    "value",
    "numerator",
    "denominator",
]


def reports_it(version: IndicatorVersion, organization: Organization) -> bool:
    """Whether a member of this kind reports the indicator."""
    if V.Reporter.ANY in version.reporters:
        return True
    return any(organization.kind in REPORTER_KINDS.get(code, ()) for code in version.reporters)


def breakdown_label(breakdown: str) -> str:
    if not breakdown:
        return "Total"
    kind, _, code = breakdown.partition(":")
    return dict(BREAKDOWN_VALUES.get(kind, [])).get(code, breakdown)


def breakdown_codes(version: IndicatorVersion) -> set[str]:
    """The breakdowns a value of this version may carry: "" (the total) and "<kind>:<code>" of its breakdowns."""
    return {""} | {f"{kind}:{code}" for kind in version.breakdowns for code, _ in BREAKDOWN_VALUES.get(kind, [])}


# ---- Which reports an award owes --------------------------------------------------------------------------------


def open_reports(award: Award) -> list[ProgressReport]:
    """The award's reports, every one it owes made ready as a draft: an annual report for each fiscal year of its
    grant period and each report staff asked the round for. Safe to call again: what exists is kept as it is."""
    if award.status not in plans.REPORTING_AWARDS:
        return list(ProgressReport.objects.filter(award=award))
    plan, _ = plans.plan_of(award.round)
    owed = {year: (f"Annual report {year}", plans.annual_due(plan, year), None) for year in award.fiscal_years} | {
        f"extra-{extra.pk}": (extra.title, extra.due_at, extra) for extra in award.round.extra_reports.all()
    }
    have = set(ProgressReport.objects.filter(award=award).values_list("period", flat=True))
    missing = [
        ProgressReport(award=award, period=period, title=title, due_at=due_at, extra=extra)
        for period, (title, due_at, extra) in owed.items()
        if period not in have
    ]
    if missing:
        ProgressReport.objects.bulk_create(missing, ignore_conflicts=True)
    return list(ProgressReport.objects.filter(award=award).order_by("due_at", "period"))


def report_versions(report: ProgressReport) -> list[IndicatorVersion]:
    """What the report asks for: the round's chosen indicators, at the version each value will be entered under
    (the latest). A submitted report's values keep the version they were entered under."""
    _, chosen = plans.plan_of(report.award.round)
    latest = {}
    versions = IndicatorVersion.objects.filter(indicator_id__in=chosen).select_related("indicator")
    for version in versions.order_by("indicator__position", "indicator__code", "number"):
        latest[version.indicator_id] = version
    return list(latest.values())


# ---- Who enters what --------------------------------------------------------------------------------------------


def managed_organizations(user, report: ProgressReport) -> set[int]:
    """The member organizations whose values `user` enters as a data manager of the report's consortium."""
    return set(
        DataManager.objects.filter(consortium_id=report.award.consortium_id, user=user).values_list(
            "organization_id", flat=True
        )
    )


def organizations_for(user, report: ProgressReport, *, full: bool) -> list[Organization]:
    """The members whose values `user` sees and enters: every member for the lead agency's staff and program
    staff (`full`), a data manager's own organizations otherwise."""
    members = member_organizations(report.award.consortium)
    if full:
        return members
    mine = managed_organizations(user, report)
    return [organization for organization in members if organization.pk in mine]


# ---- Entering values ----------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """A value as typed: in the page's grid, or in a row of an uploaded CSV (`where` says which, for messages)."""

    organization_id: str
    code: str
    breakdown: str = ""
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    version: str = ""  # from a CSV: the version its template was made for
    where: str = ""

    @property
    def key(self) -> str:
        return f"{self.organization_id}:{self.code}:{self.breakdown}"

    @property
    def empty(self) -> bool:
        return not (self.value.strip() or self.numerator.strip() or self.denominator.strip())


@dataclass
class Outcome:
    saved: int = 0
    cleared: int = 0
    problems: dict[str, str] = field(default_factory=dict)  # Entry.key -> message

    @property
    def messages(self) -> list[str]:
        return list(self.problems.values())


def _number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("$", "").replace("%", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}” is not a number") from None
    if not number.is_finite():
        raise ValueError(f"“{text.strip()}” is not a number")
    return number


def _whole(text: str, what: str) -> int | None:
    number = _number(text)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(f"{what} is a count of whole numbers, not {text.strip()}")
    if number < 0:
        raise ValueError(f"{what} cannot be negative ({text.strip()})")
    return int(number)


def _checked(entry: Entry, version: IndicatorVersion, organization: Organization) -> dict:
    """The value's fields, or ValueError saying in plain words what is wrong with it."""
    name = f"{version.name} for {organization.name}"
    if entry.breakdown:
        name += f" ({breakdown_label(entry.breakdown)})"
    if entry.version.strip() and entry.version.strip() != str(version.number):
        raise ValueError(
            f"{name}: this row is for version {entry.version.strip()} of “{version.indicator.code}”, which is now at "
            f"version {version.number}; download a new template"
        )
    if version.unit == V.Unit.RATE:
        percent = _number(entry.value)
        if percent is not None and not 0 <= percent <= 100:
            raise ValueError(f"{name}: a rate is between 0 and 100, not {entry.value.strip()}")
        numerator = _whole(entry.numerator, f"{name}: the numerator")
        denominator = _whole(entry.denominator, f"{name}: the denominator")
        if numerator is None or denominator is None:
            raise ValueError(
                f"{name}: a rate is reported as its numerator and its denominator, so that totals are computed "
                "from them; give both"
            )
        if denominator == 0:
            raise ValueError(f"{name}: the denominator must be more than 0")
        if numerator > denominator:
            raise ValueError(f"{name}: the numerator ({numerator}) is more than the denominator ({denominator})")
        if percent is not None and abs(Decimal(100 * numerator) / denominator - percent) >= 1:
            raise ValueError(
                f"{name}: {entry.value.strip()} does not match {numerator} of {denominator}; leave the rate empty or "
                "correct it"
            )
        return {"value": None, "numerator": numerator, "denominator": denominator}
    if entry.numerator.strip() or entry.denominator.strip():
        raise ValueError(f"{name}: only a rate has a numerator and a denominator; give the {version.unit} as the value")
    if version.unit == V.Unit.COUNT:
        count = _whole(entry.value, name)
        return {"value": Decimal(count), "numerator": None, "denominator": None}
    amount = _number(entry.value)
    if amount < 0:
        raise ValueError(f"{name}: an amount cannot be negative ({entry.value.strip()})")
    if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError(f"{name}: an amount has at most two decimal places ({entry.value.strip()})")
    return {"value": amount, "numerator": None, "denominator": None}


def _require_open(report: ProgressReport) -> ProgressReport:
    locked = ProgressReport.objects.select_for_update().select_related("award__consortium").get(pk=report.pk)
    if not locked.is_open:
        raise Refusal(
            f"This report is {locked.get_status_display().lower()}; its values can no longer be changed."
            + (" Staff may return it for changes." if locked.status == S.SUBMITTED else "")
        )
    return locked


@transaction.atomic
def enter_values(
    *,
    report: ProgressReport,
    entries: list[Entry],
    by,
    allowed: set[int],
    atomic: bool = False,
    versions: list[IndicatorVersion] | None = None,
    narrative: dict[str, str] | None = None,
) -> Outcome:
    """Save the typed values of the organizations in `allowed` (an empty entry clears the value). Each bad entry is
    named in the outcome's problems, by the entry's key; the good ones are saved, unless `atomic` (an upload): then
    nothing is saved when any entry is bad. `versions`: the report's (report_versions), when the caller has them;
    `narrative`: answers in words ({field: text}) saved with the values, under the same lock."""
    locked = _require_open(report)
    versions = {version.indicator.code: version for version in (versions or report_versions(locked))}
    members = {str(organization.pk): organization for organization in member_organizations(locked.award.consortium)}
    outcome = Outcome()
    keep, clear = {}, []
    for entry in entries:
        entry.code = entry.code.strip().lower()
        entry.breakdown = entry.breakdown.strip()
        entry.organization_id = entry.organization_id.strip()
        where = f"{entry.where}: " if entry.where else ""
        version = versions.get(entry.code)
        organization = members.get(entry.organization_id)
        if version is None:
            outcome.problems[entry.key] = (
                f"{where}“{entry.code}” is not an indicator of this report; use the codes of the report's template"
            )
            continue
        if organization is None:
            outcome.problems[entry.key] = (
                f"{where}organization {entry.organization_id or '(none)'} is not a member of {locked.award.consortium}"
            )
            continue
        if organization.pk not in allowed:
            outcome.problems[entry.key] = f"{where}you enter values for your own organization only, not {organization}"
            continue
        if not reports_it(version, organization):
            if not entry.empty:
                outcome.problems[entry.key] = (
                    f"{where}{organization} does not report “{version.name}”: it is reported by "
                    f"{', '.join(version.reporter_labels()).lower()}"
                )
            continue
        if entry.breakdown not in breakdown_codes(version):
            outcome.problems[entry.key] = f"{where}“{entry.breakdown}” is not a breakdown of “{version.name}”" + (
                f"; use one of {', '.join(sorted(breakdown_codes(version) - {''}))}, or leave it empty for the total"
                if version.breakdowns
                else "; it is reported as a total only: leave the breakdown empty"
            )
            continue
        if entry.key in keep or entry.key in clear:
            outcome.problems[entry.key] = f"{where}{organization}'s “{version.name}” appears twice; keep one row"
            continue
        if entry.empty:
            clear.append(entry.key)
            continue
        try:
            keep[entry.key] = (organization, version, entry.breakdown, _checked(entry, version, organization))
        except ValueError as error:
            outcome.problems[entry.key] = f"{where}{error}."
    if atomic and outcome.problems:
        return outcome
    existing = {
        f"{value.organization_id}:{value.indicator.code}:{value.breakdown}": value
        for value in ReportValue.objects.filter(report=locked).select_related("indicator")
    }
    cleared = [existing[key].pk for key in clear if key in existing]
    if cleared:
        outcome.cleared = ReportValue.objects.filter(pk__in=cleared).delete()[0]
    added, changed = [], []
    now = timezone.now()
    for key, (organization, version, breakdown, fields) in keep.items():
        value = existing.get(key)
        if (
            value is not None
            and value.version_id == version.pk
            and all(getattr(value, name) == fields[name] for name in fields)
        ):
            continue
        if value is None:
            value = ReportValue(
                report=locked, organization=organization, indicator=version.indicator, breakdown=breakdown
            )
            added.append(value)
        else:
            changed.append(value)
        value.version, value.entered_by, value.entered_at = version, by, now
        for name, item in fields.items():
            setattr(value, name, item)
    # New and changed values in one statement (an insert that updates the row a value has already): a 30-member
    # report saves at once.
    changed += added
    ReportValue.objects.bulk_create(
        changed,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["report", "organization", "indicator", "breakdown"],
        update_fields=["version", "entered_by", "entered_at", "value", "numerator", "denominator"],
    )
    outcome.saved = len(changed)
    answered = {
        name: (text or "").strip()
        for name, text in (narrative or {}).items()
        if name in ProgressReport.NARRATIVE and (text or "").strip() != getattr(locked, name)
    }
    for name, text in answered.items():
        setattr(locked, name, text)
    if changed or outcome.cleared or answered:
        locked.updated_by = by
        locked.save(update_fields=["updated_by", "updated_at", *answered])
    return outcome


def attach_file(*, report: ProgressReport, upload, by) -> ReportAttachment:
    """A file attached to an open report, checked by its content (PDF, Word, Excel, PNG or JPEG, within the size
    limit: grants.applications.services.attachments); a Refusal saying what is wrong with it otherwise."""
    try:
        content_type = validate_upload(upload)
    except ValidationError as invalid:
        raise Refusal(invalid.messages[0]) from invalid
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = _require_open(report)
        return ReportAttachment.objects.create(
            report=locked,
            file=upload,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )


def remove_file(*, attachment: ReportAttachment) -> None:
    """A file taken off an open report; the versions submitted before keep its name and checksum."""
    with transaction.atomic():
        _require_open(attachment.report)
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: ReportAttachment.file.field.storage.delete(name))


@transaction.atomic
def save_narrative(*, report: ProgressReport, by, **answers) -> None:
    locked = _require_open(report)
    for name in ProgressReport.NARRATIVE:
        if name in answers:
            setattr(locked, name, (answers[name] or "").strip())
    locked.updated_by = by
    locked.save()


# ---- The CSV of a report ---------------------------------------------------------------------------------------


def template_rows(report: ProgressReport, organizations: list[Organization]):
    """The report's template: a row per member organization and indicator it reports, with what is entered."""
    values = {
        (value.organization_id, value.indicator_id, value.breakdown): value
        for value in ReportValue.objects.filter(report=report, organization__in=organizations)
    }
    versions = report_versions(report)
    for organization in organizations:
        for version in versions:
            if not reports_it(version, organization):
                continue
            for breakdown in sorted(
                {b for (o, i, b) in values if o == organization.pk and i == version.indicator_id} | {""}
            ):
                value = values.get((organization.pk, version.indicator_id, breakdown))
                yield [
                    organization.pk,
                    organization.name,
                    version.indicator.code,
                    version.number,
                    breakdown,
                    "" if value is None or value.value is None else _plain(value.value),
                    "" if value is None or value.numerator is None else value.numerator,
                    "" if value is None or value.denominator is None else value.denominator,
                ]


def _plain(number: Decimal) -> str:
    return str(number.quantize(Decimal(1))) if number == number.to_integral_value() else str(number)


MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def read_upload(data: bytes) -> list[Entry]:
    """The entries of an uploaded CSV, or a Refusal saying why the file cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refusal("The file is larger than 2 MB; a report's values fit in far less. Upload the report's template.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise Refusal("The file is not a CSV file: save the template as “CSV UTF-8” and upload it again.") from None
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    missing = [name for name in ("organization_id", "indicator", "value") if name not in header]
    if missing:
        raise Refusal(
            f"The file has no {', '.join(missing)} column: upload the report's template (its first row names the "
            f"columns: {', '.join(CSV_HEADER)})."
        )
    entries = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))
        entries.append(
            Entry(
                organization_id=cells.get("organization_id", ""),
                code=cells.get("indicator", ""),
                breakdown=cells.get("breakdown", ""),
                value=cells.get("value", ""),
                numerator=cells.get("numerator", ""),
                denominator=cells.get("denominator", ""),
                version=cells.get("version", ""),
                where=f"Row {number}",
            )
        )
    if not entries:
        raise Refusal("The file has no rows of values: fill in the template and upload it again.")
    return entries


def upload(*, report: ProgressReport, data: bytes, by, allowed: set[int]) -> Outcome:
    """A CSV of values: every row saved, or none (each bad row named) so that the file is corrected and sent again."""
    outcome = enter_values(report=report, entries=read_upload(data), by=by, allowed=allowed, atomic=True)
    return outcome


# ---- Totals -------------------------------------------------------------------------------------------------------


@dataclass
class Total:
    value: Decimal | None = None
    numerator: int = 0
    denominator: int = 0
    reported: int = 0  # how many members gave it

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(100 * self.numerator) / self.denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def totals(report: ProgressReport) -> dict[int, Total]:
    """The consortium's total of each indicator (by indicator id): counts and amounts added up, a rate computed from
    the members' numerators and denominators (never an average of their rates)."""
    result: dict[int, Total] = {}
    for value in ReportValue.objects.filter(report=report, breakdown="").only(
        "indicator_id", "value", "numerator", "denominator"
    ):
        total = result.setdefault(value.indicator_id, Total())
        total.reported += 1
        if value.value is not None:
            total.value = (total.value or Decimal(0)) + value.value
        else:
            total.numerator += value.numerator
            total.denominator += value.denominator
    return result


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
    locked = _require_open(report)
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


def is_late(report: ProgressReport, now=None) -> bool:
    """Submitted after it was due, or not submitted and past due."""
    if report.submitted_at is not None:
        return report.submitted_at > report.due_at
    return (now or timezone.now()) > report.due_at


def overdue(now=None):
    """Reports past due and not submitted, oldest first."""
    return ProgressReport.objects.filter(status=S.DRAFT, due_at__lt=now or timezone.now()).order_by("due_at")


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
