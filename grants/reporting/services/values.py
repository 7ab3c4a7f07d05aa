"""A report's values: entered in the page or uploaded as a CSV of the report's own template, checked one by one
(a bad value is named in plain words and the good ones kept; an upload is saved whole or not at all), and added up
into the consortium's totals (a rate from numerators and denominators, never an average of rates)."""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from consortia.models import Organization

from ..models import IndicatorVersion, ProgressReport, ReportValue
from .data_managers import member_organizations
from .reports import breakdown_codes, breakdown_label, report_versions, reports_it, require_open

V = IndicatorVersion

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
    locked = require_open(report)
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


@transaction.atomic
def save_narrative(*, report: ProgressReport, by, **answers) -> None:
    locked = require_open(report)
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
