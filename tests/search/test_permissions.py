"""Who finds what: staff everything, a consortium's contacts their own, readers what they may read (attested,
free of conflict, still submitted), nobody else anything. The rule is in the query, not the page."""

import pytest

from grants.reviews.services.conflicts import has_conflict
from grants.search.rules import searchable
from tests.factories import (
    AffiliationFactory,
    AssignmentFactory,
    ConflictFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    contact_of,
)

from .helpers import application, found, indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    """Two consortia's applications about robotics."""
    mine, theirs = application(title="Robotics north"), application(title="Robotics south")
    indexed()
    return mine, theirs


def test_program_staff_and_administrators_find_every_application(two, staff_user, admin_user):
    numbers = {a.number for a in two}

    assert set(found(staff_user, "robotics")) == numbers
    assert set(found(admin_user, "robotics")) == numbers


def test_a_contact_finds_their_consortiums_applications_only(two):
    mine, theirs = two

    assert found(contact_of(mine.consortium), "robotics") == [mine.number]
    assert found(contact_of(theirs.consortium), "robotics") == [theirs.number]


def test_a_contact_finds_their_drafts_too(two):
    mine, _ = two
    mine.status = "draft"
    mine.save(update_fields=["status"])

    assert found(contact_of(mine.consortium), "robotics") == [mine.number]


def test_someone_with_no_consortium_and_no_assignment_finds_nothing(two, applicant_user, reader_user):
    assert found(applicant_user, "robotics") == []
    assert found(reader_user, "robotics") == []


def test_a_reader_finds_an_attested_assignment_and_nothing_else(two, reader_user):
    mine, _ = two
    AssignmentFactory(application=mine, reader=reader_user, status="accepted")

    assert found(reader_user, "robotics") == [mine.number]


@pytest.mark.parametrize("status", ["assigned", "declined", "removed"])
def test_a_reader_does_not_find_an_assignment_not_attested_or_ended(two, reader_user, status):
    AssignmentFactory(application=two[0], reader=reader_user, status=status)

    assert found(reader_user, "robotics") == []


def test_a_reader_does_not_find_an_application_reopened_as_a_draft(two, reader_user):
    mine, _ = two
    AssignmentFactory(application=mine, reader=reader_user, status="accepted")
    mine.status = "draft"
    mine.save(update_fields=["status"])

    assert found(reader_user, "robotics") == []


def _conflicts(application, reader):
    """Each way a reader can be in conflict with an application, made after the assignment was attested."""
    member = OrganizationFactory()
    MembershipFactory(consortium=application.consortium, organization=member)
    return {
        "affiliated with the lead agency": lambda: AffiliationFactory(
            user=reader, organization=application.consortium.lead_agency
        ),
        "affiliated with a member": lambda: AffiliationFactory(user=reader, organization=member),
        "declared with the consortium": lambda: ConflictFactory(reader=reader, consortium=application.consortium),
        "recorded with a member": lambda: ConflictFactory(reader=reader, consortium=None, organization=member),
        "recorded with the lead agency": lambda: ConflictFactory(
            reader=reader, consortium=None, organization=application.consortium.lead_agency
        ),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "affiliated with the lead agency",
        "affiliated with a member",
        "declared with the consortium",
        "recorded with a member",
        "recorded with the lead agency",
    ],
)
def test_a_conflict_found_later_hides_the_application_as_the_review_rules_do(two, reader_user, kind):
    mine, _ = two
    AssignmentFactory(application=mine, reader=reader_user, status="accepted")
    _conflicts(mine, reader_user)[kind]()

    assert has_conflict(reader=reader_user, application=mine)
    assert found(reader_user, "robotics") == []


def test_a_conflict_with_another_consortium_hides_nothing(two, reader_user):
    mine, theirs = two
    AssignmentFactory(application=mine, reader=reader_user, status="accepted")
    AffiliationFactory(user=reader_user, organization=theirs.consortium.lead_agency)
    ConflictFactory(reader=reader_user, consortium=theirs.consortium)

    assert not has_conflict(reader=reader_user, application=mine)
    assert found(reader_user, "robotics") == [mine.number]


def test_a_reader_who_is_also_a_contact_finds_both(two):
    mine, theirs = two
    person = contact_of(mine.consortium)
    AssignmentFactory(application=theirs, reader=person, status="accepted")

    assert set(found(person, "robotics")) == {mine.number, theirs.number}


def test_an_administrator_with_an_assignment_is_not_a_reader(two):
    from grants.applications.models import Application
    from grants.reviews.rules import readable_applications

    admin = UserFactory(role="Administrators")
    AssignmentFactory(application=two[0], reader=admin, status="accepted")

    assert not Application.objects.filter(readable_applications(admin)).exists()


def test_someone_signed_out_finds_nothing(two):
    from django.contrib.auth.models import AnonymousUser

    assert not searchable(AnonymousUser()).exists()


def test_the_links_lead_where_each_person_may_read(two, reader_user, staff_user):
    from grants.search.services.query import Filters, search

    mine, _ = two
    assignment = AssignmentFactory(application=mine, reader=reader_user, status="accepted")

    _, [as_reader] = search(user=reader_user, text="robotics north", filters=Filters())
    _, [as_contact] = search(user=contact_of(mine.consortium), text="robotics north", filters=Filters())
    _, [as_staff] = search(user=staff_user, text="robotics north", filters=Filters())

    assert as_reader.url == f"/reviews/{assignment.pk}/"
    assert as_contact.url == as_staff.url == mine.get_absolute_url()
