"""Staff edit a reader's affiliations and expertise: an affiliation is a conflict at once (the same rule every
check reads), and one that hits an active assignment is said and listed."""

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from grants.reviews.services import conflicts, readers
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    SubmittedApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita():
    return UserFactory(role="Readers", first_name="Rita", last_name="Reader")


def test_an_affiliation_added_by_staff_is_a_conflict_for_every_check(rita, staff_user):
    application = SubmittedApplicationFactory()
    member = OrganizationFactory(name="Valley Community College")
    MembershipFactory(consortium=application.consortium, organization=member)
    assert conflicts.reasons(reader=rita, application=application) == []
    readers.save_profile(reader=rita, by=staff_user, organizations=[member], sectors=[], expertise="")
    assert conflicts.reasons(reader=rita, application=application) == ["Affiliated with Valley Community College"]


def test_the_page_says_which_active_assignments_a_new_affiliation_conflicts_with(staff_client, rita):
    assigned = AssignmentFactory(reader=rita)
    lead = assigned.application.consortium.lead_agency
    response = staff_client.post(
        reverse("reviews:reader", args=[rita.pk]), {"organizations": [lead.pk], "expertise": ""}, follow=True
    )
    page = response.content.decode()
    assert f"active assignment to {assigned.application.number}" in page
    assert "Active assignments now in conflict" in page
    assert reverse("reviews:assignment-remove", args=[assigned.application.round_id, assigned.pk]) in page
    event = Event.objects.get(object_id=rita.pk, summary__startswith="Reader profile")
    assert event.actor.is_program_staff
    assert f"Now in conflict with active assignments: {assigned.application.number}" in event.summary


def test_removing_an_affiliation_and_changing_expertise_are_recorded(rita, staff_user):
    org = OrganizationFactory(name="Kern CCD")
    readers.save_profile(reader=rita, by=staff_user, organizations=[org], sectors=["ict"], expertise="IT")
    change = readers.save_profile(reader=rita, by=staff_user, organizations=[], sectors=["ict", "health"], expertise="")
    assert change.conflicted == []
    assert "Affiliations removed: Kern CCD" in change.changes
    assert rita.affiliations.count() == 0
    assert Event.objects.filter(object_id=rita.pk).count() == 2
