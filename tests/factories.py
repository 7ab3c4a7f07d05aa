"""factory_boy factories for every model tests build."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from consortia.models import Consortium, Contact, County, Membership, Organization, Region, User
from grants.applications.models import Application
from grants.programs.models import Criterion, FundingCategory, Program, RequiredAttachment, Round

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


def county(name="Sacramento"):
    return County.objects.get_or_create(name=name)[0]


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.SCHOOL_DISTRICT
    county = factory.LazyFunction(county)


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consortium
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Consortium {n}")
    lead_agency = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.COUNTY_OFFICE)
    region = factory.LazyFunction(lambda: Region.objects.first() or Region.objects.create(name="Bay Area"))

    @factory.post_generation
    def with_lead_member(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                consortium=self, organization=self.lead_agency, defaults={"role": Membership.Role.K12}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    consortium = factory.SubFactory(ConsortiumFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = factory.LazyAttribute(lambda m: Membership.role_for(m.organization.kind))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    consortium = factory.SubFactory(ConsortiumFactory)
    user = factory.SubFactory(UserFactory, role="Applicants")
    role = Contact.Role.LEAD


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = "California Career Pathways Trust"

    @factory.post_generation
    def appropriations(self, create, extracted, **kwargs):
        if create and not self.appropriations.exists():
            self.appropriations.create(amount=Decimal("250000000"), source="AB 86 (2013)", fiscal_years="2013-14")
            self.appropriations.create(amount=Decimal("250000000"), source="SB 858 (2014)", fiscal_years="2014-15")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    code = factory.Sequence(lambda n: f"t{n}")
    funds_available = Decimal("10000000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    grant_start_year = 2026
    grant_years = 2


class FundingCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCategory

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    maximum_award = Decimal("1000000.00")
    planned_grants = 2


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    max_points = Decimal("20")
    response_limit = 2000


class RequiredAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredAttachment

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Attachment {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    consortium = factory.SubFactory(ConsortiumFactory)
    category = factory.SubFactory(FundingCategoryFactory, round=factory.SelfAttribute("..round"))
    number = factory.Sequence(lambda n: f"T-{n:04d}")
    created_by = factory.SubFactory(UserFactory)


# --- Complete, submitted applications and their screening (screening work) ---


def _snapshot_checksum(data: dict) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class ProgramOfStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ProgramOfStudy"

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Allied Health Pathway {n}")
    sector = "health"
    k12_sequence = "Biology; Health Science I; Medical Terminology; Sports Medicine"
    postsecondary_sequence = "Emergency Medical Technician certificate; A.S. Nursing"
    work_based_learning = "Hospital job shadowing in grade 11; paid clinical internships in grade 12."


class PartnerCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.PartnerCommitment"

    application = factory.SubFactory(ApplicationFactory)
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.BUSINESS)
    role = Membership.Role.BUSINESS
    responsibilities = "Hosts twenty student interns a year and two teacher externships; serves on the advisory board."


class SubmittedApplicationFactory(ApplicationFactory):
    """An application with every section complete and eligible under a default round, already submitted.

    Pass `complete=False` to leave out its program of study and partner (screening then fails "complete").
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    status = Application.Status.SUBMITTED
    title = factory.Sequence(lambda n: f"Pathways to Health Careers {n}")
    summary = "Regional pathways from grade 9 into community college health programs."
    target_group = "Students in grades 9-14 at the consortium's high schools and colleges."
    students_served = 400
    need_statement = "Hospitals in the region report hundreds of unfilled allied health positions."
    labor_market = "The three-county labor market served by the regional hospital systems."
    budget_narratives = factory.LazyAttribute(
        lambda a: dict.fromkeys(a.round.fiscal_years, "Staff, curriculum and equipment.")
    )
    requested_amount = Decimal("750000.00")
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProgramOfStudyFactory(application=self)
            PartnerCommitmentFactory(application=self)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Submission"

    application = factory.SubFactory(SubmittedApplicationFactory)
    submitted_at = factory.LazyAttribute(lambda s: s.application.submitted_at or timezone.now())
    submitted_by = factory.LazyAttribute(lambda s: s.application.created_by)
    data = factory.LazyAttribute(
        lambda s: {
            "number": s.application.number,
            "title": s.application.title,
            "requested_amount": str(s.application.requested_amount),
        }
    )
    checksum = factory.LazyAttribute(lambda s: _snapshot_checksum(s.data))


class ScreeningCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ScreeningCheck"

    submission = factory.SubFactory(SubmissionFactory)
    key = factory.Sequence(lambda n: f"check_{n}")
    label = factory.Sequence(lambda n: f"Rule {n}")
    passed = True
    detail = ""


# --- Readers' assignments, submitted reviews and scores (scoring work) ---


class ReaderAssignmentFactory(factory.django.DjangoModelFactory):
    """An attested assignment of a reader to a submitted application."""

    class Meta:
        model = "reviews.Assignment"

    application = factory.SubFactory(
        ApplicationFactory, status=Application.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
    )
    reader = factory.SubFactory(UserFactory, role="Readers")
    status = "accepted"
    attested_at = factory.LazyFunction(timezone.now)


class SubmittedReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Review"

    assignment = factory.SubFactory(ReaderAssignmentFactory)
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Score"

    review = factory.SubFactory(SubmittedReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    points = Decimal("10")


def scored_review(application, reader, points, *, comments=(), status="submitted", overall_comment=""):
    """A reader's review of an application with `points` in the order of the round's criteria (position, pk).

    Reuses the reader's active assignment when there is one; returns the Review.
    """
    from grants.reviews.models import Assignment

    assignment = Assignment.objects.active().filter(application=application, reader=reader).first()
    if assignment is None:
        assignment = ReaderAssignmentFactory(application=application, reader=reader)
    review = SubmittedReviewFactory(assignment=assignment, status=status, overall_comment=overall_comment)
    criteria = list(application.round.criteria.order_by("position", "pk"))
    comments = list(comments) + [""] * len(criteria)
    for criterion, value, comment in zip(criteria, points, comments, strict=False):
        CriterionScoreFactory(review=review, criterion=criterion, points=Decimal(str(value)), comment=comment)
    return review


# --- Letters of intent, starting and editing applications (application-building work) ---


class OpenRoundFactory(RoundFactory):
    """A round published and accepting applications now (opened yesterday, closes in 30 days)."""

    status = Round.Status.OPEN


class LetterOfIntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.LetterOfIntent"

    round = factory.SubFactory(OpenRoundFactory, loi_deadline=factory.LazyFunction(lambda: timezone.now()))
    consortium = factory.SubFactory(ConsortiumFactory)
    filed_by = factory.SubFactory(UserFactory)


def contact_of(consortium, role=Contact.Role.LEAD) -> User:
    """A signed-up applicant who is a contact (lead by default) of the consortium."""
    return ContactFactory(consortium=consortium, role=role).user


# --- Affiliations and recorded conflicts of interest (assignment work) ---


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consortia.Affiliation"

    user = factory.SubFactory(UserFactory, role="Readers")
    organization = factory.SubFactory(OrganizationFactory)
    position = "Board member"


class ConflictFactory(factory.django.DjangoModelFactory):
    """A conflict recorded by staff with a consortium (pass organization=..., consortium=None for an organization)."""

    class Meta:
        model = "reviews.Conflict"

    reader = factory.SubFactory(UserFactory, role="Readers")
    consortium = factory.SubFactory(ConsortiumFactory)
    source = "staff"
    reason = "Former employee of the lead agency."
    recorded_by = factory.SubFactory(UserFactory, role="Program staff")


# --- The reader workspace: assignments awaiting attestation, draft reviews and their scores ---


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A reader assigned to a submitted application that has its current snapshot; awaiting attestation.

    Pass status="accepted" for an attested assignment (attested_at follows).
    """

    class Meta:
        model = "reviews.Assignment"

    application = factory.LazyFunction(lambda: SubmissionFactory().application)
    reader = factory.SubFactory(UserFactory, role="Readers")
    status = "assigned"
    attested_at = factory.LazyAttribute(lambda a: timezone.now() if a.status == "accepted" else None)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review of an attested assignment."""

    class Meta:
        model = "reviews.Review"

    assignment = factory.SubFactory(AssignmentFactory, status="accepted")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Score"

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(
        CriterionFactory, round=factory.SelfAttribute("..review.assignment.application.round")
    )
    points = Decimal("10")


# --- Configured rounds (program and round configuration work) ---


class CompetitivePriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.CompetitivePriority"

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Priority {n}")
    bonus_points = Decimal("2")


def configured_round(**kwargs) -> Round:
    """A round ready to open (a draft unless status= is given): a funding category within its funds,
    a two-criterion rubric worth 100 points, a competitive priority and a required attachment."""
    round_ = RoundFactory(**kwargs)
    FundingCategoryFactory(round=round_, name="Large", maximum_award=Decimal("1000000.00"), planned_grants=2)
    CriterionFactory(round=round_, name="Need", max_points=Decimal("60"))
    CriterionFactory(round=round_, name="Budget", max_points=Decimal("40"))
    CompetitivePriorityFactory(round=round_, name="High dropout region")
    RequiredAttachmentFactory(round=round_, name="Consortium agreement")
    return round_


# --- Attachments and drafts ready to submit (submission work) ---

# A real, minimal PDF (one empty page) with a correct cross-reference table.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def sha256_of(data: bytes) -> str:
    from hashlib import sha256

    return sha256(data).hexdigest()


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A stored PDF attached to an application (pass required_attachment=... for a required one)."""

    class Meta:
        model = "applications.Attachment"

    application = factory.SubFactory(ApplicationFactory)
    required_attachment = None
    file = factory.django.FileField(filename="agreement.pdf", data=SMALL_PDF)
    original_name = "agreement.pdf"
    content_type = "application/pdf"
    size = len(SMALL_PDF)
    sha256 = sha256_of(SMALL_PDF)
    uploaded_by = factory.SubFactory(UserFactory)


def submittable_application(**kwargs) -> Application:
    """A draft in an open round that passes every completeness and eligibility check.

    The round has two criteria and one required attachment (uploaded); the consortium has a lead
    contact (`contact_of(application.consortium)` adds another), a business member and partner with
    committed resources, and a budget of $250,000 a year. Keyword arguments go to ApplicationFactory.
    """
    from grants.applications.models import BudgetItem, CommittedResource, NarrativeResponse

    round_ = kwargs.pop("round", None) or OpenRoundFactory()
    # get_or_create: several applications may share a round.
    criteria = [
        round_.criteria.get_or_create(name=name, defaults={"max_points": Decimal("20"), "position": position})[0]
        for position, name in enumerate(["Need and regional labor market", "Programs of study"])
    ]
    required = round_.required_attachments.get_or_create(name="Consortium agreement (signed)")[0]
    years = round_.fiscal_years
    application = ApplicationFactory(
        round=round_,
        title="Capital Region Health Pathways",
        summary="Pathways from grade 9 into community college allied health programs.",
        target_group="Students in grades 9-14 across the consortium's districts.",
        grades_served="9-14",
        students_served=400,
        need_statement="Regional hospitals report hundreds of unfilled allied health positions.",
        labor_market="The four-county Sacramento labor market.",
        budget_narratives=dict.fromkeys(years, "Pathway coordinators, curriculum and lab equipment."),
        **({} if "created_by" in kwargs else {"created_by__password": None}),
        **kwargs,
    )
    # No password (tests sign in with force_login): hashing one costs a second per person.
    lead = ContactFactory(consortium=application.consortium, role=Contact.Role.LEAD, user__password=None).user
    business = OrganizationFactory(kind=Organization.Kind.BUSINESS, name=f"Valley Health Partners {application.pk}")
    MembershipFactory(consortium=application.consortium, organization=business)
    ProgramOfStudyFactory(application=application, students_by_year=dict.fromkeys(years, 120))
    partner = PartnerCommitmentFactory(application=application, organization=business)
    CommittedResource.objects.create(
        commitment=partner, fiscal_year=years[0], kind="cash", amount=Decimal("50000.00"), description="Lab space"
    )
    for year in years:
        BudgetItem.objects.create(application=application, fiscal_year=year, object_code="1000", amount="200000.00")
        BudgetItem.objects.create(application=application, fiscal_year=year, object_code="4000", amount="50000.00")
    application.requested_amount = Decimal("250000.00") * len(years)
    application.save()
    for criterion in criteria:
        NarrativeResponse.objects.create(
            application=application, criterion=criterion, text=f"Our answer to “{criterion.name}”: café-level détail."
        )
    AttachmentFactory(application=application, required_attachment=required, uploaded_by=lead)
    return application


def lead_of(application) -> User:
    """The first lead contact of the application's consortium."""
    return application.consortium.contacts.filter(role=Contact.Role.LEAD).order_by("pk").first().user


# --- Funding plans, awards, the set-aside and notices (awards work) ---


class ApplicationScoreFactory(factory.django.DjangoModelFactory):
    """A computed score: ranked, fundable, final 100 - rank unless given."""

    class Meta:
        model = "reviews.ApplicationScore"

    application = factory.SubFactory(
        ApplicationFactory, status=Application.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
    )
    round = factory.SelfAttribute("application.round")
    readers = 3
    rank = 1
    category_rank = factory.SelfAttribute("rank")
    final = factory.LazyAttribute(lambda s: Decimal(100 - (s.rank or 0)))
    fundable = True
    computed_at = factory.LazyFunction(timezone.now)


def ranked_application(round_, category, rank, requested, **kwargs) -> Application:
    """A submitted application of the round with a computed score at `rank` (pass fundable=False, final=...)."""
    score = {key: kwargs.pop(key) for key in ("fundable", "final") if key in kwargs}
    application = ApplicationFactory(
        round=round_,
        category=category,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
        requested_amount=Decimal(requested),
        **kwargs,
    )
    ApplicationScoreFactory(application=application, rank=rank, **score)
    return application


class FundingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "awards.FundingPlan"

    round = factory.SubFactory(RoundFactory, status=Round.Status.IN_REVIEW)
    created_by = factory.SubFactory(UserFactory, role="Program staff", password=None)


def _approved_plan(round_):
    from grants.awards.models import FundingPlan

    return FundingPlan.objects.filter(round=round_, status="approved").first() or FundingPlanFactory(
        round=round_, status="approved", approved_at=timezone.now()
    )


class AwardFactory(factory.django.DjangoModelFactory):
    """An offered award of a decided round, with equal instalments over the round's grant period."""

    class Meta:
        model = "awards.Award"
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory, status=Round.Status.DECIDED)
    application = factory.SubFactory(
        ApplicationFactory,
        round=factory.SelfAttribute("..round"),
        status=Application.Status.SUBMITTED,
        requested_amount=Decimal("500000.00"),
    )
    consortium = factory.SelfAttribute("application.consortium")
    category = factory.SelfAttribute("application.category")
    plan = factory.LazyAttribute(lambda a: _approved_plan(a.round))
    number = factory.Sequence(lambda n: f"AW-{n:04d}")
    amount = Decimal("400000.00")
    start_year = factory.SelfAttribute("round.grant_start_year")
    years = factory.SelfAttribute("round.grant_years")
    offered_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def instalments(self, create, extracted, **kwargs):
        from grants.awards.models import Instalment
        from grants.awards.services.approval import instalment_amounts

        if create and extracted is not False:
            parts = instalment_amounts(self.amount, self.years, extracted or None)
            for year, part in zip(self.fiscal_years, parts, strict=True):
                Instalment.objects.create(award=self, fiscal_year=year, amount=part)


class NoticeFactory(factory.django.DjangoModelFactory):
    """A queued award notice (pass kind="decline", award=None, application=... for a decline)."""

    class Meta:
        model = "awards.Notice"

    kind = "award"
    award = factory.SubFactory(AwardFactory)
    application = factory.LazyAttribute(lambda n: n.award.application)
    idempotency_key = factory.Sequence(lambda n: f"test-notice-{n}")
    requested_by = factory.SubFactory(UserFactory, role="Administrators", password=None)
