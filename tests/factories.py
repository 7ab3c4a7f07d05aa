"""factory_boy factories for every model tests build."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from consortia.models import Consortium, Contact, County, Membership, Organization, Region, User
from grants.models import Application, Criterion, FundingCategory, Program, RequiredAttachment, Round

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
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def county(name="Sacramento"):
    return County.objects.get(name=name)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.SCHOOL_DISTRICT
    county = factory.LazyFunction(county)


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consortium

    name = factory.Sequence(lambda n: f"Consortium {n}")
    lead_agency = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.COUNTY_OFFICE)
    region = factory.LazyFunction(lambda: Region.objects.first())

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
