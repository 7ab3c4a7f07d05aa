"""A program's shared indicators (defined once, revised as versions, never edited in place), and what each round's
grantees report on them and when."""

from calendar import month_name, monthrange
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import at_pacific, format_datetime
from ccpt.lib.once import AlreadyDone
from ccpt.lib.refusal import Refusal
from consortia.models import Consortium, Contact, Organization
from grants.programs.models import Program, Round

from .models import DataManager, ExtraReport, Indicator, IndicatorVersion, ReportingPlan
from .standard import STANDARD

V = IndicatorVersion
FIELDS = ("name", "definition", "unit", "numerator", "denominator", "reporters", "breakdowns", "measure")


def _cleaned(definition: dict) -> dict:
    """The definition's fields, stripped and checked; a Refusal naming every problem."""
    unknown = set(definition) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an indicator's definition: {', '.join(sorted(unknown))}")
    text = {name: " ".join(str(definition.get(name) or "").split()) for name in ("name", "numerator", "denominator")}
    cleaned = {
        **text,
        "definition": str(definition.get("definition") or "").strip(),
        "unit": definition.get("unit") or "",
        "reporters": list(dict.fromkeys(definition.get("reporters") or [])),
        "breakdowns": list(dict.fromkeys(definition.get("breakdowns") or [])),
        "measure": definition.get("measure") or "",
    }
    errors = {}
    if not cleaned["name"]:
        errors["name"] = "Give the indicator a name."
    if not cleaned["definition"]:
        errors["definition"] = "Define exactly what is counted, in plain words."
    if cleaned["unit"] not in V.Unit.values:
        errors["unit"] = "Choose a unit: count, rate or amount."
    elif cleaned["unit"] == V.Unit.RATE:
        for part in ("numerator", "denominator"):
            if not cleaned[part]:
                errors[part] = f"A rate needs its {part} defined: say what is counted in it."
    else:
        for part in ("numerator", "denominator"):
            if cleaned[part]:
                errors[part] = f"Only a rate has a {part}; leave it empty for a {cleaned['unit']}."
    if not cleaned["reporters"]:
        errors["reporters"] = "Say which members report it."
    elif set(cleaned["reporters"]) - set(V.Reporter.values):
        errors["reporters"] = "Choose the reporters from the list."
    if set(cleaned["breakdowns"]) - set(V.Breakdown.values):
        errors["breakdowns"] = "Choose the breakdowns from the list."
    if cleaned["measure"] not in ["", *V.Measure.values]:
        errors["measure"] = "Choose a statutory measure from the list, or none."
    if errors:
        raise Refusal("The definition was not saved: " + " ".join(errors.values()), errors=errors)
    return cleaned


@transaction.atomic
def define_indicator(*, program: Program, code: str, by=None, **definition) -> IndicatorVersion:
    """A new indicator of the program, at version 1."""
    cleaned = _cleaned(definition)
    code = code.strip().lower()
    if Indicator.objects.filter(program=program, code=code).exists():
        raise Refusal(
            f"{program} already has an indicator coded “{code}”: revise it instead.",
            errors={
                "code": f"“{code}” is the code of another of this program's indicators: choose another, or revise it."
            },
        )
    position = (Indicator.objects.filter(program=program).aggregate(last=Max("position"))["last"] or 0) + 1
    indicator = Indicator.objects.create(program=program, code=code, position=position)
    version = IndicatorVersion.objects.create(indicator=indicator, number=1, created_by=by, **cleaned)
    record(Event.Action.SETTING_CHANGE, by=by, obj=indicator, summary=f"Indicator defined: {code} v1, {version.name}")
    return version


@transaction.atomic
def revise_indicator(*, indicator: Indicator, by=None, **definition) -> IndicatorVersion:
    """The indicator's next version; the earlier ones stay as they were, for the reports filed under them."""
    cleaned = _cleaned(definition)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and all(getattr(latest, name) == cleaned[name] for name in FIELDS):
        raise Refusal(f"Nothing changed: {locked.code} stays at version {latest.number}.")
    number = (latest.number if latest else 0) + 1
    version = IndicatorVersion.objects.create(indicator=locked, number=number, created_by=by, **cleaned)
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=locked,
        summary=f"Indicator revised: {locked.code} v{number}, {version.name}",
    )
    return version


def current_versions(program: Program) -> list[IndicatorVersion]:
    """Each of the program's indicators at its latest version, in the program's order (one query)."""
    latest = {}
    versions = IndicatorVersion.objects.filter(indicator__program=program).select_related("indicator")
    for version in versions.order_by("indicator__position", "indicator__code", "number"):
        latest[version.indicator_id] = version
    return list(latest.values())


def add_standard_indicators(*, program: Program, by=None) -> list[IndicatorVersion]:
    """The standard indicators (standard.py) the program does not have yet, by code; the ones it has are kept as
    they are, revised or not."""
    have = set(Indicator.objects.filter(program=program).values_list("code", flat=True))
    added = []
    for entry in STANDARD:
        if entry["code"] not in have:
            definition = {name: value for name, value in entry.items() if name != "code"}
            added.append(define_indicator(program=program, code=entry["code"], by=by, **definition))
    return added


# ---- A round's reporting plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    period: str  # what it reports on: the fiscal year ("2026-27"), or an extra report's title
    due_at: datetime


def annual_due(plan: ReportingPlan, fiscal_year: str) -> datetime:
    """When the annual report on `fiscal_year` is due: the first due_month/due_day after the year ends on June 30,
    at due_hour Pacific time. February 29 falls on February 28 in other years."""
    ends = int(fiscal_year[:4]) + 1  # 2026-27 ends on June 30, 2027
    year = ends if plan.due_month >= 7 else ends + 1
    day = min(plan.due_day, monthrange(year, plan.due_month)[1])
    return at_pacific(year, plan.due_month, day, plan.due_hour)


def schedule(plan: ReportingPlan, fiscal_years: list[str]) -> list[DueReport]:
    """The annual reports due over a grant period, one per fiscal year."""
    return [DueReport(year, annual_due(plan, year)) for year in fiscal_years]


def plan_of(round_: Round) -> tuple[ReportingPlan, set[int]]:
    """The round's plan and the ids of its indicators; until one is saved, the default: every indicator of the
    program, reported each year by September 30."""
    plan = ReportingPlan.objects.filter(round=round_).first()
    if plan is not None:
        return plan, set(plan.indicators.values_list("pk", flat=True))
    return ReportingPlan(round=round_), set(
        Indicator.objects.filter(program_id=round_.program_id).values_list("pk", flat=True)
    )


@transaction.atomic
def save_plan(*, round_: Round, indicator_ids, due_month: int, due_day: int, due_hour: int, by) -> ReportingPlan:
    chosen = list(Indicator.objects.filter(program_id=round_.program_id, pk__in=list(indicator_ids)))
    errors = {}
    if len(chosen) != len(set(indicator_ids)):
        errors["indicators"] = "Choose among the program's indicators."
    elif not chosen:
        errors["indicators"] = "Choose at least one indicator: the grantees must report on something."
    if not 1 <= due_month <= 12 or not 0 <= due_hour <= 23:
        errors["due_month"] = "Choose a month and an hour from the lists."
    elif not 1 <= due_day <= monthrange(2024, due_month)[1]:  # a leap year: February 29 is a day that exists
        errors["due_day"] = f"{month_name[due_month]} has no day {due_day}."
    if errors:
        raise Refusal("The reporting plan was not saved: " + " ".join(errors.values()), errors=errors)
    plan, _ = ReportingPlan.objects.select_for_update().get_or_create(round=round_)
    plan.due_month, plan.due_day, plan.due_hour, plan.updated_by = due_month, due_day, due_hour, by
    plan.save()
    plan.indicators.set(chosen)
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=round_,
        summary=f"Reporting plan: {len(chosen)} indicators, annual reports due {month_name[due_month]} {due_day}",
    )
    return plan


@transaction.atomic
def ask_for_report(*, round_: Round, title: str, due_at: datetime, by, click: str | None = None) -> ExtraReport:
    """A report besides the annual ones, due when staff say; it must be due later than now. `click`: the form's
    one-time token (ccpt.lib.once): the same form posted twice asks once, the second post raises AlreadyDone."""
    Round.objects.select_for_update().get(pk=round_.pk)
    if click and (done := ExtraReport.objects.filter(click_token=click).first()):
        raise AlreadyDone(f"“{done.title}” was already added; the same form was sent twice.", done=done)
    title = " ".join(title.split())
    errors = {}
    if not title:
        errors["title"] = "Say what the report is for."
    if due_at <= timezone.now():
        errors["due_at"] = "The due time has passed: choose a later one."
    if errors:
        raise Refusal("The report was not added: " + " ".join(errors.values()), errors=errors)
    report = ExtraReport.objects.create(
        round=round_, title=title, due_at=due_at, requested_by=by, click_token=click or None
    )
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=round_,
        summary=f"Report asked for: {title}, due {format_datetime(due_at)}",
    )
    return report


def reports_due(plan: ReportingPlan, round_: Round) -> list:
    """Every report the round's grantees owe, annual and extra, in the order they are due."""
    extra = [DueReport(report.title, report.due_at) for report in round_.extra_reports.all()]
    return sorted(schedule(plan, round_.fiscal_years) + extra, key=lambda report: report.due_at)


# ---- Data managers ---------------------------------------------------------------------------------------------


def member_organizations(consortium: Consortium) -> list[Organization]:
    """The organizations whose values a consortium reports: its lead agency and its members, by name."""
    members = Organization.objects.filter(memberships__consortium=consortium)
    return list((members | Organization.objects.filter(pk=consortium.lead_agency_id)).distinct().order_by("name"))


@transaction.atomic
def name_data_manager(*, consortium: Consortium, organization_id: int, user_id: int, by) -> DataManager:
    """`user`, who has access to the consortium, enters and uploads `organization`'s values from now on."""
    errors = {}
    organization = next((o for o in member_organizations(consortium) if o.pk == organization_id), None)
    if organization is None:
        errors["organization"] = "Choose one of the consortium's member organizations."
    contact = Contact.objects.filter(consortium=consortium, user_id=user_id).select_related("user").first()
    if contact is None:
        errors["user"] = "Choose a person with access to the consortium; invite them first if they have none."
    if errors:
        raise Refusal("Nobody was named: " + " ".join(errors.values()), errors=errors)
    if DataManager.objects.filter(consortium=consortium, organization=organization, user_id=user_id).exists():
        raise Refusal(f"{contact.user} is already a data manager of {organization}.")
    manager = DataManager.objects.create(
        consortium=consortium, organization=organization, user=contact.user, named_by=by
    )
    record(
        Event.Action.ROLE_CHANGE, by=by, obj=consortium, summary=f"{contact.user} named data manager of {organization}"
    )
    return manager


@transaction.atomic
def remove_data_manager(*, manager: DataManager, by) -> None:
    record(
        Event.Action.ROLE_CHANGE,
        by=by,
        obj=manager.consortium,
        summary=f"{manager.user} no longer data manager of {manager.organization}",
    )
    manager.delete()
