"""People, organizations, consortia, their contacts and readers' affiliations."""

import factory
from django.contrib.auth.models import Group

from consortia.models import Consortium, Contact, County, Membership, Organization, Region, User

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


def contact_of(consortium, role=Contact.Role.LEAD) -> User:
    """A signed-up applicant who is a contact (lead by default) of the consortium."""
    return ContactFactory(consortium=consortium, role=role).user


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consortia.Affiliation"

    user = factory.SubFactory(UserFactory, role="Readers")
    organization = factory.SubFactory(OrganizationFactory)
    position = "Board member"
