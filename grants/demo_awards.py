"""Round 1's known awards (../shared/ccpt/grantees.csv) and four years of their life after the award: an annual
progress report for each fiscal year from 2014-15 to 2017-18, filed through the same services as a real one and
accepted by program staff, with values that grow the way a new pathway's do; then the payments (grants.payments).

The figures are invented (deterministic, from each consortium's name): the real reports were never published
member by member. Amounts are the awards reported in the press; Los Angeles Unified's was "up to $15 million".
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from ccpt.lib.dates import at_pacific
from consortia.models import Consortium, Contact, Organization, User
from consortia.roles import Role
from grants import workflow
from grants.applications.models import Application, BudgetItem, ProgramOfStudy, Submission
from grants.applications.sectors import Sector
from grants.applications.services.snapshot import build_snapshot, checksum
from grants.awards.models import Award, FundingPlan, Instalment
from grants.awards.services.approval import instalment_amounts
from grants.payments.demo import load_payments
from grants.programs.models import FundingCategory, Round
from grants.reporting.models import DataManager, IndicatorVersion
from grants.reporting.services import data_managers, reports, review, values
from grants.reporting.services.values import Entry

# consortium (as in demo_consortia.json), award number, amount (grantees.csv, round 1), and the industry sectors
# of its pathways (invented, from the consortium's name where it says)
ROUND1_AWARDS = [
    ("Long Beach College Promise Pathways", "CCPT-14-001", "14900000.00", ["health", "manufacturing"]),
    ("Long Beach Unified Linked Learning Consortium", "CCPT-14-002", "6000000.00", ["engineering"]),
    ("Los Angeles Unified Career Pathways Consortium", "CCPT-14-003", "15000000.00", ["health"]),
    (
        "LA HITECH (Los Angeles High Impact Information Technology, Entertainment and Communications Hub)",
        "CCPT-14-004",
        "15000000.00",
        ["ict", "arts_media"],
    ),
    ("Orange County Career Pathways Partnership (OCCPP)", "CCPT-14-005", "15000000.00", ["ict"]),
    ("Capital Region Academies for the Next Economy (CRANE)", "CCPT-14-006", "15000000.00", ["engineering"]),
    ("Northern California Career Pathway Alliance", "CCPT-14-007", "15000000.00", ["agriculture"]),
    ("Diablo Gateways to Innovation (DGI)", "CCPT-14-008", "7998000.00", ["ict"]),
]
# Front-loaded, as round 1's payments were: most of the money in the first two years.
SHARES = [Decimal(40), Decimal(30), Decimal(20), Decimal(10)]
SUBMITTED = at_pacific(2014, 3, 27, 16)  # the day before round 1 closed
WBL_KINDS = ["awareness", "exploration", "preparation", "training"]


def load(*, round1: Round, users: dict) -> list[Award]:
    """The awards (made once; loading again keeps what is there), their reports and their payments."""
    staff, admin = users["staff@example.org"], users["admin@example.org"]
    if Award.objects.filter(round=round1).exists():
        return list(Award.objects.filter(round=round1))
    decided = at_pacific(2014, 5, 30, 20)
    plan = FundingPlan.objects.create(
        round=round1, status=FundingPlan.Status.APPROVED, created_by=staff, approved_by=admin, approved_at=decided
    )
    categories = list(FundingCategory.objects.filter(round=round1).order_by("-maximum_award"))
    awards = []
    for name, number, amount, sectors in ROUND1_AWARDS:
        consortium = Consortium.objects.filter(name=name).first()
        if consortium is None:
            continue
        amount = Decimal(amount)
        category = next(c for c in reversed(categories) if c.maximum_award >= amount)
        application = Application.objects.create(
            round=round1,
            consortium=consortium,
            category=category,
            number=number.replace("CCPT", "R1"),
            status=Application.Status.SUBMITTED,
            title=f"{consortium.name}: career pathways",
            summary="Career pathways from grade 9 into college and careers in the region's growing industries.",
            requested_amount=amount,
            created_by=staff,
            submitted_at=SUBMITTED,
        )
        for position, sector in enumerate(sectors):
            ProgramOfStudy.objects.create(
                application=application,
                name=f"{Sector(sector).label} pathway",
                sector=sector,
                position=position,
            )
        # The approved budget: each year's instalment (front-loaded) split by object code.
        schedule = dict(zip(round1.fiscal_years, instalment_amounts(amount, 4, SHARES), strict=True))
        for year, part in schedule.items():
            _budget(application, year, part)
        data = build_snapshot(application, submitted_at=SUBMITTED)
        Submission.objects.create(
            application=application,
            submitted_at=SUBMITTED,
            submitted_by=staff,
            data=data,
            checksum=checksum(data),
            screening=Submission.Screening.PASSED,
            screened_at=SUBMITTED,
        )
        award = Award.objects.create(
            round=round1,
            application=application,
            consortium=consortium,
            category=category,
            plan=plan,
            number=number,
            amount=amount,
            start_year=2014,
            years=4,
            status=Award.Status.ACTIVE,
            offered_at=decided,
            responded_at=decided + timedelta(days=20),
        )
        workflow.record_creation(award, by=None, reason="Demo data: awarded in May 2014, before this site existed.")
        for year, part in schedule.items():
            Instalment.objects.create(award=award, fiscal_year=year, amount=part)
        _reports(award, staff=staff)
        awards.append(award)
    _data_manager(users)
    load_payments(awards, staff=staff, admin=admin, today=timezone.localdate())
    return awards


# How a year's money is budgeted, by object code (the California School Accounting Manual's classes).
BUDGET_SHARES = {"1000": 30, "2000": 15, "3000": 15, "4000": 10, "5000": 20, "6000": 5, "7000": 5}


def _budget(application: Application, year: str, amount: Decimal) -> None:
    """The approved budget of one fiscal year: its instalment split by object code, adding up to the cent."""
    parts = instalment_amounts(amount, len(BUDGET_SHARES), [Decimal(share) for share in BUDGET_SHARES.values()])
    BudgetItem.objects.bulk_create(
        BudgetItem(application=application, fiscal_year=year, object_code=code, amount=part)
        for code, part in zip(BUDGET_SHARES, parts, strict=True)
    )


def _lead_of(award: Award):
    """The consortium's lead agency staff who filed its reports: the demo applicant for CRANE; for the others, a
    person of their own who cannot sign in (the demo gives one login per role)."""
    contact = Contact.objects.filter(consortium=award.consortium, role=Contact.Role.LEAD).select_related("user").first()
    if contact is not None:
        return contact.user
    lead = User.objects.create(
        email=f"lead.{award.number.lower()}@example.org", first_name="Lead agency", last_name=f"({award.number})"
    )
    lead.set_unusable_password()
    lead.save()
    lead.groups.add(Group.objects.get(name=Role.APPLICANT))
    Contact.objects.create(consortium=award.consortium, user=lead, role=Contact.Role.LEAD)
    return lead


def _reports(award: Award, *, staff) -> None:
    """Four annual reports, each filed by the lead agency and accepted by staff; the second year's of every third
    award came in late, and one was returned once before it was accepted."""
    rng = random.Random(award.number)
    lead = _lead_of(award)
    members = data_managers.member_organizations(award.consortium)
    scale = {member.pk: rng.uniform(0.5, 2.0) for member in members}
    everyone = {member.pk for member in members}
    for year_index, report in enumerate(reports.open_reports(award)):
        growth = 1 + 0.45 * year_index
        entries = []
        for version in reports.report_versions(report):
            for member in members:
                if reports.reports_it(version, member):
                    entries.extend(_entries(version, member, scale[member.pk] * growth, rng))
        outcome = values.enter_values(report=report, entries=entries, by=lead, allowed=everyone)
        assert not outcome.problems, outcome.problems
        values.save_narrative(
            report=report,
            by=lead,
            progress=f"In {report.period} the consortium's pathways served more students at more sites; "
            "work-based learning grew with new employer partners.",
            challenges="Hiring CTE teachers with industry credentials; aligning bell schedules for dual enrollment.",
            next_steps="Sustain the pathways from district and college budgets as the grant ends.",
        )
        late = year_index == 1 and int(award.number[-1]) % 3 == 0
        submitted = report.due_at + (timedelta(days=12) if late else -timedelta(days=rng.randint(2, 20)))
        review.submit(report=report, by=lead, now=submitted)
        decided = submitted + timedelta(days=21)
        if year_index == 2 and award.number.endswith("6"):
            review.return_report(
                report=report,
                by=staff,
                comment="Please check the dual-enrollment counts against the college's records.",
                item_comments={},
                now=submitted + timedelta(days=7),
            )
            review.submit(report=report, by=lead, now=submitted + timedelta(days=14))
        review.accept_report(report=report, by=staff, now=decided)


def _entries(version: IndicatorVersion, member: Organization, size: float, rng: random.Random) -> list[Entry]:
    code = version.indicator.code
    if version.unit == IndicatorVersion.Unit.RATE:
        denominator = max(20, int(400 * size))
        share = min(0.97, rng.uniform(0.7, 0.85) + 0.02 * size)
        return [Entry(str(member.pk), code, numerator=str(int(denominator * share)), denominator=str(denominator))]
    base = {
        "students-in-pathways": 900,
        "cte-concentrators": 350,
        "pathway-completers": 160,
        "graduates": 400,
        "dual-enrollment": 120,
        "work-based-learning": 500,
        "postsecondary-enrollment": 250,
        "credentials": 60,
        "transfer-ready": 45,
        "employment-transitions": 30,
        "student-internships": 25,
        "teacher-internships": 6,
        "business-partners-active": 8,
    }.get(code, 20)
    total = int(base * size * rng.uniform(0.85, 1.15))
    entries = [Entry(str(member.pk), code, value=str(total))]
    if code == "work-based-learning":  # by kind: most students meet work through awareness, few through training
        for kind, share in zip(WBL_KINDS, (0.6, 0.35, 0.15, 0.05), strict=True):
            entries.append(Entry(str(member.pk), code, breakdown=f"wbl_kind:{kind}", value=str(int(total * share))))
    return entries


def _data_manager(users: dict) -> None:
    """The demo's data manager: a partner contact of CRANE who enters one member district's values."""
    dana = users.get("data@example.org")
    crane = Consortium.objects.filter(name__startswith="Capital Region Academies").first()
    if dana is None or crane is None:
        return
    Contact.objects.get_or_create(consortium=crane, user=dana, defaults={"role": Contact.Role.PARTNER})
    district = (
        Organization.objects.filter(memberships__consortium=crane, kind=Organization.Kind.SCHOOL_DISTRICT)
        .order_by("name")
        .first()
    )
    if district is not None:
        DataManager.objects.get_or_create(
            consortium=crane, organization=district, user=dana, defaults={"named_by": users["applicant@example.org"]}
        )
