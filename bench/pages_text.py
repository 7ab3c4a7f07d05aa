"""What bench/pages.py's people type: names, the rubric, and each section of an application as its form is posted
(field names as the section pages send them), with amounts that add up as a real budget does."""

from __future__ import annotations

import random
from decimal import Decimal

FIRST = ["Ana", "Ben", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jorge", "Kai", "Lupe", "Maya"]
WORDS = ["Regional", "Health", "Advanced", "Manufacturing", "Digital", "Green", "Energy", "Futures", "Bridges"]
PLACES = ["Fresno", "Kern", "Tulare", "Sonoma", "Shasta", "Marin", "Riverside", "Oakland", "Salinas", "Stockton"]
KIND_NAMES = {
    "school_district": "Unified School District",
    "county_office": "County Office of Education",
    "community_college": "Community College District",
    "charter_school": "Charter School",
}
EMPLOYER_WORDS = ["Pacific", "Golden State", "Sierra", "Coastal", "Central Valley", "Bay", "Delta", "Summit"]
EMPLOYER_KINDS = ["Health System", "Manufacturing", "Energy", "Logistics", "Builders", "Software", "Farms", "Bank"]
REQUIRED_ATTACHMENTS = ["Consortium agreement (signed)", "Budget workbook"]
SENTENCES = [
    "Students begin the pathway in grade nine with an introductory course taught by an industry-certified teacher.",
    "The consortium aligns high-school courses with the college's certificate and associate-degree programs.",
    "Employer partners host job shadowing in grade eleven and paid internships in the summer after grade twelve.",
    "Regional labor-market data show sustained demand for technicians, with median wages above the county average.",
    "Counselors meet every student twice a year to review their pathway plan and college credits earned.",
    "Dual-enrollment sections are scheduled on the high-school campus so that students need no transportation.",
    "Teachers spend two weeks each summer in industry externships and bring current practice into the classroom.",
    "The advisory board of employers reviews the course sequence every spring and recommends changes.",
    "Articulation agreements let students carry up to twelve units into the college program without repeating work.",
    "The lead agency tracks enrollment, completion, credit attainment and placement for each cohort.",
    "Partner commitments of equipment, staff time and internships continue after the grant period ends.",
    "Budget requests fund a pathway coordinator, lab equipment, curriculum development and teacher externships.",
    "Students from low-income families and English learners are recruited through middle-school outreach.",
    "The workforce board connects graduates with apprenticeships and employers who hire from the pathway.",
    "A shared data agreement among the districts and the college allows outcomes to be followed for five years.",
    "Each pathway ends in an industry-recognized credential that employers in the region ask for by name.",
]
COMMENTS = [
    "Clear evidence and a well-sequenced plan.",
    "The narrative is persuasive but the data are thin.",
    "Partner roles are described; commitments could be firmer.",
    "The budget is reasonable and tied to the activities.",
    "Work-based learning is limited to job shadowing.",
]


def prose(rng: random.Random, length: int) -> str:
    """Sentences drawn at random until at least `length` characters (a little more)."""
    parts, size = [], 0
    while size < length:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def split(total: int, weights: list[float]) -> list[int]:
    """Whole dollars in proportion to `weights`, adding up to `total` exactly (the rest goes to the first)."""
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def sections(application, consortium, rng: random.Random) -> dict[str, dict]:
    """Each section's posted form, in the order of the RFA."""
    from grants.applications.models import BudgetItem
    from grants.applications.sectors import Sector

    round_ = application.round
    years = round_.fiscal_years
    requested = int(application.category.maximum_award * Decimal(rng.randint(55, 100)) / 100)
    data = {
        "summary": {"title": f"{rng.choice(WORDS)} Pathways {application.number}", "summary": prose(rng, 800)},
        "target_group": {
            "target_group": prose(rng, 400),
            "grades_served": "9-14",
            "students_served": f"{rng.randint(200, 12_000):,}",
        },
        "need": {"need_statement": prose(rng, 1200), "labor_market": prose(rng, 900)},
    }
    programs = rng.sample(list(Sector), rng.randint(1, 4))
    data["programs"] = _formset("programs", len(programs))
    for n, sector in enumerate(programs):
        row = {
            "name": f"{sector.label} pathway",
            "sector": sector.value,
            "k12_sequence": "Introduction\nConcentrator course\nCapstone",
            "postsecondary_sequence": "Certificate\nAssociate degree",
            "articulation": "Twelve units articulated with the college.",
            "work_based_learning": prose(rng, 200),
            **({"dual_enrollment": "on", "student_internships": "on"} if rng.random() < 0.6 else {}),
            **{f"students_{year}": str(rng.randint(30, 400)) for year in years},
        }
        data["programs"].update({f"programs-{n}-{key}": value for key, value in row.items()})
    members = [
        m
        for m in consortium.memberships.select_related("organization")
        if m.organization_id != consortium.lead_agency_id
    ]
    members = members[:5]
    committed = split(int(requested * rng.uniform(0.12, 0.30)), [1] * len(members))
    data["partners"] = _formset("partners", len(members))
    for n, (member, amount) in enumerate(zip(members, committed, strict=True)):
        row = {"organization": str(member.organization_id), "role": "", "responsibilities": prose(rng, 250)}
        for year, part in zip(years, split(amount, [1] * len(years)), strict=True):
            cash, in_kind = split(part, [2, 1])
            row |= {f"cash_{year}": str(cash), f"cash_note_{year}": "Staff time", f"in_kind_{year}": str(in_kind)}
            row[f"in_kind_note_{year}"] = "Equipment and internships"
        data["partners"].update({f"partners-{n}-{key}": value for key, value in row.items()})
    codes = BudgetItem.ObjectCode.values
    cells = split(requested, [w * y for w in (30, 15, 12, 15, 18, 5, 5) for y in (3, 3, 2, 2)[: len(years)]])
    data["budget"] = {
        f"amount_{code}_{year}": f"{cells[i * len(years) + j]:,}"
        for i, code in enumerate(codes)
        for j, year in enumerate(years)
    }
    data["budget"] |= {f"narrative_{year}": prose(rng, 300) for year in years}
    data["narratives"] = {f"criterion_{c.pk}": prose(rng, rng.randint(1200, 2800)) for c in round_.criteria.all()}
    return data


def _formset(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def scores(rng: random.Random, quality: float, severity: float, criteria) -> dict:
    """A reader's scores of one application, as save_review takes them: whole points, a comment on each."""
    entries = {}
    for criterion in criteria:
        share = min(1.0, max(0.0, quality + severity + rng.gauss(0, 0.08)))
        points = Decimal(round(float(criterion.max_points) * share))
        entries[criterion.pk] = {"points": points, "comment": rng.choice(COMMENTS)}
    return {"scores": entries, "overall_comment": rng.choice(COMMENTS)}


def forget_mail() -> None:
    """Empty the in-memory outbox (the locmem backend keeps every message sent)."""
    from django.core import mail

    mail.outbox = []
