import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consortia.models import Organization

from ..factories import OrganizationFactory, county

pytestmark = pytest.mark.django_db


def test_two_organizations_cannot_share_an_official_code():
    OrganizationFactory(code="34674390000000")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(code="34674390000000")


def test_validation_reports_a_shared_code_in_plain_words():
    OrganizationFactory(code="34674390000000")
    duplicate = Organization(
        name="Another", kind=Organization.Kind.SCHOOL_DISTRICT, county=county(), code="34674390000000"
    )

    with pytest.raises(ValidationError) as raised:
        duplicate.full_clean()

    assert "Another organization already has this official code." in str(raised.value)


def test_any_number_of_organizations_may_leave_the_code_blank():
    OrganizationFactory(code="")
    OrganizationFactory(code="")
    third = Organization(name="Third", kind=Organization.Kind.BUSINESS, county=county(), code="")

    third.full_clean()
    third.save()

    assert Organization.objects.filter(code="").count() == 3


def test_the_same_name_may_be_used_in_another_county_but_not_twice_in_one():
    OrganizationFactory(name="Unified School District", county=county("Fresno"))
    OrganizationFactory(name="Unified School District", county=county("Kern"))

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(name="Unified School District", county=county("Kern"))
