"""Before first opening an application a reader attests no conflict of interest, or declares one."""

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.reviews.models import Assignment, Conflict
from grants.reviews.services import reviews

from ..factories import AffiliationFactory, AssignmentFactory, ConflictFactory, MembershipFactory, ReviewFactory


@pytest.fixture
def assignment(db):
    assignment = AssignmentFactory()
    assignment.application.summary = "Our secret sauce: paid internships for every junior."
    assignment.application.save()
    return assignment


@pytest.fixture
def member(assignment):
    return MembershipFactory(consortium=assignment.application.consortium).organization


def _attest_url(assignment):
    return reverse("reviews:review-attest", args=[assignment.pk])


def test_it_shows_only_who_the_application_is_from_before_attesting(reader_client, assignment, member):
    response = reader_client.get(_attest_url(assignment))

    html = response.content.decode()
    application = assignment.application
    assert response.status_code == 200
    for shown in (application.number, application.title, application.consortium.name, member.name):
        assert shown in html
    assert application.consortium.lead_agency.name in html
    assert "I have no conflict of interest with this consortium or any of its members" in html
    assert "secret sauce" not in html
    assert "Submit review" not in html


def test_attesting_accepts_the_assignment_and_opens_the_scoring_page(reader_client, assignment):
    response = reader_client.post(_attest_url(assignment), {"no_conflict": "on"})

    assert response.status_code == 302
    assert response.url == reverse("reviews:review", args=[assignment.pk])
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED
    assert assignment.attested_at is not None
    change = StatusChange.objects.get(content_type__model="assignment", object_id=assignment.pk, to_status="accepted")
    assert change.by == assignment.reader


def test_it_refuses_to_attest_without_the_box_ticked(reader_client, assignment):
    response = reader_client.post(_attest_url(assignment), {})

    assert response.status_code == 200
    assert "Tick the box to attest, or declare a conflict of interest instead." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


def test_opening_the_scoring_page_before_attesting_leads_to_the_attestation(reader_client, assignment):
    response = reader_client.get(reverse("reviews:review", args=[assignment.pk]))

    assert response.status_code == 302
    assert response.url == _attest_url(assignment)


def test_an_attested_reader_going_back_to_the_attestation_lands_on_scoring(reader_client, assignment):
    reviews.attest(assignment=assignment, by=assignment.reader)

    response = reader_client.get(_attest_url(assignment))

    assert response.status_code == 302
    assert response.url == reverse("reviews:review", args=[assignment.pk])


def test_declaring_a_conflict_needs_a_reason(reader_client, assignment):
    response = reader_client.post(reverse("reviews:review-conflict", args=[assignment.pk]), {"reason": "  "})

    assert response.status_code == 200
    assert "Describe the conflict of interest; it is kept in the record." in response.content.decode()
    assert not Conflict.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


def test_declaring_a_conflict_records_it_and_ends_the_assignment(reader_client, assignment):
    response = reader_client.post(
        reverse("reviews:review-conflict", args=[assignment.pk]), {"reason": "My sister runs the lead agency."}
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:reviews")
    conflict = Conflict.objects.get()
    assert conflict.reader == assignment.reader
    assert conflict.consortium == assignment.application.consortium
    assert conflict.source == Conflict.Source.DECLARED
    assert conflict.reason == "My sister runs the lead agency."
    assert conflict.recorded_by == assignment.reader
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLINED
    assert assignment.ended_at is not None
    assert "My sister runs the lead agency." in assignment.end_reason
    assert not Assignment.objects.active().filter(application=assignment.application).exists()
    assert reader_client.get(reverse("reviews:review", args=[assignment.pk])).status_code == 403


def test_a_reader_may_declare_a_conflict_found_while_scoring_a_draft(assignment):
    reviews.attest(assignment=assignment, by=assignment.reader)
    ReviewFactory(assignment=assignment)

    reviews.declare_conflict(assignment=assignment, by=assignment.reader, reason="Recognized a former colleague.")

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLINED


def test_a_reader_who_submitted_must_ask_staff_to_record_a_conflict(assignment):
    reviews.attest(assignment=assignment, by=assignment.reader)
    ReviewFactory(assignment=assignment, status="submitted")

    with pytest.raises(Refusal, match="Ask program staff"):
        reviews.declare_conflict(assignment=assignment, by=assignment.reader, reason="Late discovery.")

    assert not Conflict.objects.exists()


def test_a_reader_affiliated_with_a_member_is_never_shown_the_application(reader_client, assignment, member):
    AffiliationFactory(user=assignment.reader, organization=member)

    response = reader_client.get(_attest_url(assignment))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"You cannot read {assignment.application.number}" in html
    assert f"Affiliated with {member.name}" in html
    assert assignment.application.title not in html
    assert "I have no conflict of interest" not in html


def test_a_reader_with_a_known_conflict_can_decline(reader_client, assignment, member):
    AffiliationFactory(user=assignment.reader, organization=member)

    response = reader_client.post(_attest_url(assignment), {"decline": "decline"})

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLINED
    assert assignment.end_reason == f"Conflict of interest: Affiliated with {member.name}"
    assert assignment.attested_at is None


def test_a_stale_attestation_form_does_not_open_an_application_with_a_known_conflict(reader_client, assignment, member):
    AffiliationFactory(user=assignment.reader, organization=member)

    response = reader_client.post(_attest_url(assignment), {"no_conflict": "on"})

    assert response.status_code == 200
    assert f"You cannot read {assignment.application.number}" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


def test_the_service_refuses_to_attest_with_a_recorded_conflict(assignment):
    ConflictFactory(reader=assignment.reader, consortium=assignment.application.consortium)

    with pytest.raises(Refusal, match="conflict of interest"):
        reviews.attest(assignment=assignment, by=assignment.reader)

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


def test_declining_needs_a_known_conflict(assignment):
    with pytest.raises(Refusal, match="No conflict of interest is on record"):
        reviews.decline(assignment=assignment, by=assignment.reader)
