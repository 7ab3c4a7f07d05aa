"""What a round's grantees report on and when: its reporting plan, the annual schedule and the reports staff ask for
besides."""

from calendar import month_name, monthrange
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import at_pacific, format_datetime
from ccpt.lib.once import AlreadyDone
from ccpt.lib.refusal import Refusal
from grants.awards.models import Award
from grants.programs.models import Round

from ..models import ExtraReport, Indicator, ProgressReport, ReportingPlan

# The awards that report: accepted ones on, until closed (a closed award's reports stay as they were).
REPORTING_AWARDS = (Award.Status.ACCEPTED, Award.Status.ACTIVE, Award.Status.CLOSED)


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
    # The annual reports not yet submitted are due on the new date; the submitted ones keep the date they met.
    for report in ProgressReport.objects.filter(
        award__round=round_, extra__isnull=True, status=ProgressReport.Status.DRAFT
    ).only("pk", "period"):
        ProgressReport.objects.filter(pk=report.pk).update(due_at=annual_due(plan, report.period))
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
    # Each award reporting now owes it (an award accepted later owes it too: services.reports.open_reports).
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(award=award, period=f"extra-{report.pk}", extra=report, title=title, due_at=due_at)
            for award in Award.objects.filter(round=round_, status__in=REPORTING_AWARDS)
        ]
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
