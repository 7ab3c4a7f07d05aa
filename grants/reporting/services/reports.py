"""Progress reports: which an award owes, what each asks for, and who enters which member's values.

An award owes an annual report for each fiscal year of its grant period and each report staff ask its round for
(made ready when the award is accepted: transitions.py). The values themselves are entered, uploaded and added up in
values.py; submitting, returning and accepting a report is review.py's; its files are files.py's.
"""

from django.utils import timezone

from ccpt.lib.refusal import Refusal
from consortia.models import Organization
from grants.awards.models import Award

from ..models import BREAKDOWN_VALUES, DataManager, IndicatorVersion, ProgressReport
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


def require_open(report: ProgressReport) -> ProgressReport:
    locked = ProgressReport.objects.select_for_update().select_related("award__consortium").get(pk=report.pk)
    if not locked.is_open:
        raise Refusal(
            f"This report is {locked.get_status_display().lower()}; its values can no longer be changed."
            + (" Staff may return it for changes." if locked.status == S.SUBMITTED else "")
        )
    return locked


def is_late(report: ProgressReport, now=None) -> bool:
    """Submitted after it was due, or not submitted and past due."""
    if report.submitted_at is not None:
        return report.submitted_at > report.due_at
    return (now or timezone.now()) > report.due_at


def overdue(now=None):
    """Reports past due and not submitted, oldest first."""
    return ProgressReport.objects.filter(status=S.DRAFT, due_at__lt=now or timezone.now()).order_by("due_at")
