"""Applications, complete and submitted ones, their snapshots, screening, letters of intent and attachments."""

from decimal import Decimal

import factory
from django.utils import timezone

from consortia.models import Contact, Membership, Organization, User
from grants.applications.models import Application

from .consortia import ConsortiumFactory, ContactFactory, MembershipFactory, OrganizationFactory, UserFactory
from .programs import FundingCategoryFactory, OpenRoundFactory, RoundFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    consortium = factory.SubFactory(ConsortiumFactory)
    category = factory.SubFactory(FundingCategoryFactory, round=factory.SelfAttribute("..round"))
    number = factory.Sequence(lambda n: f"T-{n:04d}")
    created_by = factory.SubFactory(UserFactory)


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


class LetterOfIntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.LetterOfIntent"

    round = factory.SubFactory(OpenRoundFactory, loi_deadline=factory.LazyFunction(lambda: timezone.now()))
    consortium = factory.SubFactory(ConsortiumFactory)
    filed_by = factory.SubFactory(UserFactory)


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
