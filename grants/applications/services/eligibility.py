"""Is an application complete, and is it eligible? One set of rules for the progress page,
the submit button and the screening task, so that they can never disagree."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ccpt.lib.dates import format_date
from ccpt.lib.money import format_money
from ccpt.lib.queries import Prebuilt
from consortia.composition import KINDS_FOR, Requirement
from consortia.models import Membership
from grants.programs.published import published_parts

from ..models import (
    Application,
    Attachment,
    LetterOfIntent,
    NarrativeResponse,
    PartnerCommitment,
    ProgramOfStudy,
)

Section = Application.Section
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class Check:
    key: str
    label: str
    passed: bool
    detail: str = ""


@dataclass
class SectionStatus:
    section: str
    label: str
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


def _blank(value) -> bool:
    return not (value or "").strip()


@dataclass
class Parts:
    """What an application's checks read besides the application and its round: its parts, and the kinds of its
    consortium's members and what the partners committed in all (None where not read: a query reads them). Each
    partner carries `organization_name`."""

    programs: list[ProgramOfStudy]
    partners: list[PartnerCommitment]
    narratives: list[NarrativeResponse]
    attachments: list[Attachment]
    member_kinds: list[str] | None = None
    committed: Decimal | None = None


# One application's parts, read with SQL built once per process (ccpt.lib.queries.Prebuilt): its page reads them
# on every request, and building these queries cost more than running them.
_PROGRAMS = Prebuilt(lambda pk: ProgramOfStudy.objects.filter(application_id=pk))
_PARTNERS = Prebuilt(
    lambda pk: PartnerCommitment.objects.filter(application_id=pk).annotate(
        organization_name=F("organization__name"),
        committed=Coalesce(Sum("resources__amount"), Value(Decimal("0.00")), output_field=MONEY),
    )
)
_MEMBERS = Prebuilt(lambda pk: Membership.objects.filter(consortium_id=pk).annotate(kind=F("organization__kind")))
_NARRATIVES = Prebuilt(lambda pk: NarrativeResponse.objects.filter(application_id=pk).order_by())
_ATTACHMENTS = Prebuilt(lambda pk: Attachment.objects.filter(application_id=pk))


def read_parts(application: Application) -> Parts:
    """Reads the application's parts and its consortium's kinds of member (five small queries) and keeps them on it
    for the checks and its page."""
    pk = application.pk
    partners = _PARTNERS.rows(pk)
    application.checked_parts = Parts(
        _PROGRAMS.rows(pk),
        partners,
        _NARRATIVES.rows(pk),
        _ATTACHMENTS.rows(pk),
        member_kinds=[member.kind for member in _MEMBERS.rows(application.consortium_id)],
        committed=sum((partner.committed for partner in partners), Decimal("0.00")),
    )
    return application.checked_parts


def parts_of(application: Application) -> Parts:
    """The parts read_parts kept on the application, else read through its relations (prefetched or not) and kept
    on it for the other checks."""
    kept = getattr(application, "checked_parts", None)
    if kept is not None:
        return kept
    partners = list(application.partners.all())
    for partner in partners:
        partner.organization_name = partner.organization.name
    application.checked_parts = Parts(
        list(application.programs.all()),
        partners,
        list(application.narratives.all()),
        list(application.attachments.all()),
    )
    return application.checked_parts


def section_statuses(application: Application) -> list[SectionStatus]:
    """Each section of the form with what is still missing from it."""
    round_ = application.round
    statuses = {s.value: SectionStatus(s.value, s.label) for s in Section}

    def need(section, condition, message):
        if condition:
            statuses[section].problems.append(message)

    need(Section.SUMMARY, _blank(application.title), "Give the project a title.")
    need(Section.SUMMARY, _blank(application.summary), "Write the overall summary.")
    need(Section.TARGET_GROUP, _blank(application.target_group), "Describe the target group.")
    need(Section.TARGET_GROUP, not application.students_served, "Say how many students the pathways serve.")
    need(Section.NEED, _blank(application.need_statement), "Write the statement of need.")
    need(Section.NEED, _blank(application.labor_market), "Describe the regional labor market.")

    parts = parts_of(application)
    programs = parts.programs
    need(Section.PROGRAMS, not programs, "Add at least one program of study.")
    for program in programs:
        need(
            Section.PROGRAMS,
            _blank(program.k12_sequence) or _blank(program.postsecondary_sequence),
            f"“{program.name}”: list the K-12 and the college courses in sequence.",
        )
        need(Section.PROGRAMS, _blank(program.work_based_learning), f"“{program.name}”: describe work-based learning.")

    need(Section.PARTNERS, not parts.partners, "Add the partners and their commitments.")
    for partner in parts.partners:
        need(
            Section.PARTNERS,
            _blank(partner.responsibilities),
            f"{partner.organization_name}: give its responsibilities.",
        )

    need(Section.BUDGET, application.requested_amount <= 0, "Enter the budget.")
    for year in round_.fiscal_years:
        need(Section.BUDGET, _blank(application.budget_narratives.get(year)), f"Write the budget narrative for {year}.")

    published = published_parts(round_)
    answered = {n.criterion_id: n.text for n in parts.narratives}
    for criterion in published.criteria:
        text = answered.get(criterion.pk, "")
        need(Section.NARRATIVES, _blank(text), f"Answer “{criterion.name}”.")
        need(
            Section.NARRATIVES,
            len(text) > criterion.response_limit,
            f"“{criterion.name}” is {len(text):,} characters; the limit is {criterion.response_limit:,}.",
        )

    uploaded = {a.required_attachment_id for a in parts.attachments}
    for required in published.required_attachments:
        need(Section.ATTACHMENTS, required.pk not in uploaded, f"Upload “{required.name}”.")
    return list(statuses.values())


def eligibility_checks(application: Application) -> list[Check]:
    """The round's eligibility rules applied to this application."""
    round_ = application.round
    consortium = application.consortium
    lead = consortium.lead_agency
    checks = []

    problem = lead.lead_eligibility_problem
    if not problem and lead.kind not in round_.eligible_lead_kinds:
        problem = f"This round does not accept a {lead.get_kind_display().lower()} as lead agency."
    checks.append(Check("lead_agency", "Lead agency is eligible", not problem, problem or str(lead)))

    kinds = _member_kinds(application)
    missing = [Requirement(r).label for r in round_.required_composition if not KINDS_FOR[Requirement(r)] & kinds]
    checks.append(
        Check(
            "composition",
            "Required members are in the consortium",
            not missing,
            ("Missing: " + "; ".join(missing)) if missing else "All required kinds of member are present.",
        )
    )

    maximum = application.category.maximum_award
    requested = application.requested_amount
    checks.append(
        Check(
            "category_maximum",
            "Request is within the funding category's maximum",
            Decimal("0") < requested <= maximum,
            f"Requested {format_money(requested)}; the {application.category.name} maximum is {format_money(maximum)}.",
        )
    )

    if round_.match_percent is not None:
        committed = _committed(application)
        required = (requested * round_.match_percent / 100).quantize(Decimal("0.01"))
        checks.append(
            Check(
                "match",
                f"Partner commitments reach {round_.match_percent.normalize():f}% of the request",
                requested > 0 and committed >= required,
                f"Committed {format_money(committed)}; required {format_money(required)}."
                if requested > 0
                else "Enter the budget first: the requirement is a share of the amount requested.",
            )
        )

    required_names = {r.pk: r.name for r in published_parts(round_).required_attachments}
    uploaded = {a.required_attachment_id for a in parts_of(application).attachments}
    absent = [name for pk, name in required_names.items() if pk not in uploaded]
    checks.append(
        Check(
            "attachments",
            "Required attachments are uploaded",
            not absent,
            ("Missing: " + "; ".join(absent))
            if absent
            else f"{len(required_names)} of {len(required_names)} uploaded.",
        )
    )

    if round_.requires_loi:
        filed = LetterOfIntent.objects.filter(round=round_, consortium=consortium).first()
        checks.append(
            Check(
                "letter_of_intent",
                "Letter of intent was filed",
                filed is not None,
                f"Filed {format_date(filed.filed_at)}." if filed else "No letter of intent on file.",
            )
        )
    return checks


def _member_kinds(application: Application) -> set[str]:
    """Kinds of every organization in the application's consortium, the lead agency's included (read with its parts
    by read_parts, else a query)."""
    kept = getattr(application, "checked_parts", None)
    return application.consortium.member_kinds(kept.member_kinds if kept else None)


def _committed(application: Application) -> Decimal:
    """What the partners committed in all (read with its parts by read_parts, else a query)."""
    kept = getattr(application, "checked_parts", None)
    return application.committed_total() if kept is None or kept.committed is None else kept.committed


def completeness_check(application: Application, statuses: list[SectionStatus] | None = None) -> Check:
    incomplete = [s for s in statuses or section_statuses(application) if not s.complete]
    return Check(
        "complete",
        "Every section is complete",
        not incomplete,
        ("Incomplete: " + ", ".join(s.label for s in incomplete)) if incomplete else "All sections complete.",
    )


def all_checks(application: Application, statuses: list[SectionStatus] | None = None) -> list[Check]:
    """`statuses`: the application's section_statuses, when the caller has them already."""
    return [completeness_check(application, statuses), *eligibility_checks(application)]


def checked(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with what their checks read with them (then read_parts reads the rest; the round's criteria and
    required attachments come from published_parts). A page of one application makes the same queries however many
    programs, partners, members or files it has."""
    return queryset.select_related("round", "consortium__lead_agency", "category")


def submission_problems(application: Application) -> list[str]:
    return [f"{c.label}: {c.detail}" for c in all_checks(application) if not c.passed]
