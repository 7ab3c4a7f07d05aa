"""Demo data: the Trust, its two appropriations and rounds, a dozen consortia, and a user per role.

Consortium and lead-agency names come from known awards (../shared/ccpt/grantees.csv); members are
plausible California partners. Business partners are invented. Loading twice changes nothing.
"""

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ccpt.lib.dates import PACIFIC, at_pacific
from consortia.models import Affiliation, Consortium, Contact, County, Organization, Region, User
from consortia.reference import ensure_reference_data
from consortia.roles import Role
from consortia.services import add_member
from grants import workflow
from grants.applications.models import LetterOfIntent
from grants.applications.sectors import Sector
from grants.programs.models import (
    Appropriation,
    CompetitivePriority,
    Criterion,
    FundingCategory,
    Program,
    RequiredAttachment,
    Round,
)
from grants.reporting.services.indicators import add_standard_indicators
from grants.reviews.models import ReaderProfile, ReaderSector

from . import demo_awards

DEMO_PASSWORD = "ccpt-demo-2026"  # noqa: S105 - demo data only, printed for newcomers
K = Organization.Kind

# One person per role, each in their role's group only. None is a superuser or may open the Django admin (the
# back office is for an account made with `manage.py createsuperuser`, README), so the demo administrator meets
# the same rules as a real one: it configures and approves, never acts for a consortium or as a reader.
DEMO_USERS = [
    # email, first, last, role
    ("admin@example.org", "Avery", "Administrator", Role.ADMINISTRATOR),
    ("staff@example.org", "Sam", "Staff", Role.PROGRAM_STAFF),
    ("reader@example.org", "Riley", "Reader", Role.READER),
    ("applicant@example.org", "Alex", "Applicant", Role.APPLICANT),
    # A partner at one of CRANE's districts who enters that district's values in its progress reports.
    ("data@example.org", "Dana", "Datamanager", Role.APPLICANT),
]

# Consortia and their members: names from known awards (../shared/ccpt/grantees.csv), plausible partners.
CONSORTIA = json.loads((Path(__file__).parent / "demo_consortia.json").read_text())

RUBRIC = [
    ("Need and regional labor market", "Evidence of high-need, high-growth regional sectors.", 20),
    ("Programs of study", "Sequenced, articulated pathways from grade 9 into college and careers.", 25),
    ("Work-based learning", "Student and teacher internships and other work-based learning.", 15),
    ("Partnerships", "Roles, responsibilities and resources of K-12, college and business partners.", 15),
    ("Sustainability", "Own funds and partner commitments that keep the pathways running after the grant.", 15),
    ("Budget", "Reasonable, allowable costs tied to the work.", 10),
]

PRIORITIES = [
    ("Region with an above-average dropout rate", CompetitivePriority.Use.BONUS, 3),
    ("Pathway into legal careers", CompetitivePriority.Use.BONUS, 2),
    ("Pathway to a community-college baccalaureate or an apprenticeship", CompetitivePriority.Use.BONUS, 2),
]


def pacific(year, month, day, hour=17, minute=0):
    return at_pacific(year, month, day, hour, minute)


@transaction.atomic
def load(*, awards: bool = True) -> dict:
    ensure_reference_data()
    users = {email: _user(email, first, last, role) for email, first, last, role in DEMO_USERS}
    counties = {c.name: c for c in County.objects.all()}
    regions = {r.name: r for r in Region.objects.all()}

    def organization(described: dict) -> Organization:
        # CDE's CDS codes, for the K-12 agencies whose code was checked against public copies of its directory.
        cds_code = described.get("cds_code", "")
        org, _ = Organization.objects.get_or_create(
            name=described["name"],
            county=counties[described["county"]],
            defaults={"kind": described["kind"], "cds_code": cds_code},
        )
        if cds_code and not org.cds_code:  # demo data loaded before organizations carried their CDS codes
            org.cds_code = cds_code
            org.save(update_fields=["cds_code"])
        return org

    consortia = []
    for entry in CONSORTIA:
        name, region, lead, served = entry["name"], entry["region"], entry["lead"], entry["counties_served"]
        lead_org = organization(lead)
        consortium, _ = Consortium.objects.get_or_create(
            name=name,
            defaults={
                "lead_agency": lead_org,
                "region": regions[region],
                "labor_market_region": f"The {region} economic region, centred on {lead['county']} County.",
            },
        )
        consortium.counties_served.set([counties[c] for c in served])
        add_member(consortium=consortium, organization=lead_org)
        for member in entry["members"]:
            add_member(consortium=consortium, organization=organization(member))
        consortia.append(consortium)

    crane = consortia[0]
    applicant = users["applicant@example.org"]
    Contact.objects.get_or_create(consortium=crane, user=applicant, defaults={"role": Contact.Role.LEAD})
    Affiliation.objects.get_or_create(user=applicant, organization=crane.lead_agency)
    cde = organization({"name": "California Department of Education", "kind": K.STATE_AGENCY, "county": "Sacramento"})
    for email in ("admin@example.org", "staff@example.org", "reader@example.org"):
        Affiliation.objects.get_or_create(user=users[email], organization=cde)
    # The demo reader's expertise, as program staff keep it in the reader pool.
    reader = users["reader@example.org"]
    ReaderProfile.objects.get_or_create(
        user=reader, defaults={"expertise": "Health career pathways; dual enrollment with community colleges."}
    )
    for sector in (Sector.HEALTH, Sector.ICT):
        ReaderSector.objects.get_or_create(reader=reader, sector=sector)

    program = _program()
    # The shared indicators grantees will report on (grants/reporting/standard.py); kept as they are when loaded again.
    add_standard_indicators(program=program)
    rounds = _rounds(program, users)
    # Round 1's known awards, with four years of progress reports and payments (grants/demo_awards.py); browser tests
    # of applying and deciding leave them out (`awards=False`): their consortia start with no application.
    if awards:
        demo_awards.load(round1=rounds["r1"], users=users)
    for consortium in consortia:
        LetterOfIntent.objects.get_or_create(
            round=rounds["r2"],
            consortium=consortium,
            defaults={"filed_by": applicant if consortium == crane else users["staff@example.org"]},
        )
    return {"users": users, "consortia": consortia, "program": program, "rounds": rounds}


def _user(email, first, last, role) -> User:
    """The demo person of a role, made again as described: an older demo database's administrator was a superuser
    with the admin's staff flag, and loses both here."""
    user, _ = User.objects.get_or_create(email=email)
    user.first_name, user.last_name = first, last
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


def _program() -> Program:
    program, _ = Program.objects.get_or_create(
        name="California Career Pathways Trust",
        defaults={
            "legal_basis": "Assembly Bill 86 (2013); Senate Bill 858 (2014); Education Code sections 53010-53016.",
        },
    )
    for source, years in (("AB 86 (2013)", "2013-14"), ("SB 858 (2014)", "2014-15")):
        Appropriation.objects.get_or_create(
            program=program, source=source, defaults={"amount": Decimal("250000000.00"), "fiscal_years": years}
        )
    return program


def _rounds(program: Program, users: dict) -> dict:
    round1, created = Round.objects.get_or_create(
        code="r1",
        defaults={
            "program": program,
            "name": "Round 1 (2014): Implementation grants",
            "kind": Round.Kind.IMPLEMENTATION,
            "funds_available": Decimal("249750000.00"),
            "loi_deadline": pacific(2014, 2, 14),
            "opens_at": pacific(2014, 1, 21, 9),
            "closes_at": pacific(2014, 3, 28),
            "grant_start_year": 2014,
            "grant_years": 4,
            "eligible_lead_kinds": sorted(Organization.LEAD_KINDS - {K.ROCP}),
            "description": "Assembly Bill 86. $250,000 of the appropriation was held back for an evaluation contract.",
            # History: the round was decided in 2014, before this site existed.
            "status": Round.Status.DECIDED,
        },
    )
    if created:
        workflow.record_creation(round1, by=None, reason="Demo data: the round was decided in May 2014.")
        _configure(round1, [("$15 million", "15000000", 10), ("$6 million", "6000000", 15), ("$600,000", "600000", 15)])

    closes = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=60)
    round2, created = Round.objects.get_or_create(
        code="r2",
        defaults={
            "program": program,
            "name": "Round 2: Implementation grants (demonstration, open now)",
            "kind": Round.Kind.IMPLEMENTATION,
            "funds_available": Decimal("245250000.00"),
            "loi_deadline": closes - timedelta(days=30),
            "opens_at": datetime.combine(timezone.localdate() - timedelta(days=7), time(9), tzinfo=PACIFIC),
            "closes_at": closes,
            "grant_start_year": timezone.localdate().year,
            "grant_years": 4,
            "required_composition": ["k12", "college", "business"],
            "match_percent": Decimal("25.00"),
            "minimum_fundable_score": Decimal("70.00"),
            "description": "Senate Bill 858. A demonstration round whose dates are set when the demo data is loaded.",
        },
    )
    if created:
        workflow.record_creation(round2, by=users["admin@example.org"], reason="Demo data.")
        _configure(round2, [("$15 million", "15000000", 9), ("$6 million", "6000000", 15), ("$600,000", "600000", 15)])
        workflow.transition(round2, Round.Status.OPEN, by=users["admin@example.org"])
    return {"r1": round1, "r2": round2}


def _configure(round_: Round, categories) -> None:
    for position, (name, maximum, planned) in enumerate(categories):
        FundingCategory.objects.create(
            round=round_, name=name, maximum_award=Decimal(maximum), planned_grants=planned, position=position
        )
    for position, (name, description, points) in enumerate(RUBRIC):
        Criterion.objects.create(round=round_, name=name, description=description, max_points=points, position=position)
    for position, (name, use, bonus) in enumerate(PRIORITIES):
        CompetitivePriority.objects.create(round=round_, name=name, use=use, bonus_points=bonus, position=position)
    for position, name in enumerate(("Consortium agreement (signed)", "Budget workbook")):
        RequiredAttachment.objects.create(round=round_, name=name, position=position)
