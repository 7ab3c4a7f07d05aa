"""Staff assign one reader to one application, remove a reader with a reason, and reassign."""

import pytest
from django.core import mail

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.reviews.models import Assignment
from grants.reviews.services import assignment
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    ConflictFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(status=Application.Status.SUBMITTED, number="R1-0007", title="Health Pathways")


@pytest.fixture
def reader():
    return UserFactory(role="Readers", first_name="Rita", last_name="Reader", email="rita@example.org")


def test_staff_assign_a_reader_who_is_told_by_email(
    application, reader, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = assignment.assign(application=application, reader=reader, by=staff_user)

    made.refresh_from_db()
    assert (made.application, made.reader, made.assigned_by) == (application, reader, staff_user)
    assert made.status == Assignment.Status.ASSIGNED
    assert made.history.get().history_user == staff_user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rita@example.org"]
    assert "R1-0007: Health Pathways" in mail.outbox[0].body
    assert "conflict of interest" in mail.outbox[0].body


def test_no_email_is_sent_when_the_assignment_is_rolled_back(
    application, reader, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment.assign(application=application, reader=reader, by=staff_user)
    assert len(callbacks) == 1
    assert mail.outbox == []


def refused(**kwargs) -> str:
    with pytest.raises(Refusal) as error:
        assignment.assign(**kwargs)
    return error.value.message


def test_it_refuses_someone_who_is_not_a_reader(application, staff_user, applicant_user):
    message = refused(application=application, reader=applicant_user, by=staff_user)
    assert message == f"{applicant_user} is not a reader: only active people in the Readers group read applications."


def test_it_refuses_a_reader_whose_account_is_disabled(application, reader, staff_user):
    reader.is_active = False
    reader.save()
    assert "is not a reader" in refused(application=application, reader=reader, by=staff_user)


def test_it_refuses_an_application_that_is_not_submitted(reader, staff_user):
    draft = ApplicationFactory(number="R1-0001")
    message = refused(application=draft, reader=reader, by=staff_user)
    assert message == "Application R1-0001 is draft: only submitted applications are read."


def test_it_refuses_a_reader_already_assigned(application, reader, staff_user):
    AssignmentFactory(status="accepted", application=application, reader=reader)
    assert refused(application=application, reader=reader, by=staff_user) == (
        "Rita Reader is already assigned to R1-0007."
    )
    assert Assignment.objects.count() == 1


def test_it_refuses_a_reader_who_declared_a_conflict_with_the_application(application, reader, staff_user):
    AssignmentFactory(application=application, reader=reader, status=Assignment.Status.DECLINED)
    assert refused(application=application, reader=reader, by=staff_user) == (
        "Rita Reader declared a conflict of interest with R1-0007 and cannot read it."
    )


def test_it_refuses_a_reader_in_conflict_saying_why(application, reader, staff_user):
    member = MembershipFactory(consortium=application.consortium).organization
    AffiliationFactory(user=reader, organization=member)
    ConflictFactory(reader=reader, consortium=application.consortium, reason="Former board member")

    message = refused(application=application, reader=reader, by=staff_user)

    assert message.startswith("Rita Reader has a conflict of interest with R1-0007: ")
    assert f"Affiliated with {member}" in message
    assert "Recorded by staff: Former board member" in message
    assert not Assignment.objects.exists()


def test_it_refuses_a_reader_at_the_maximum_for_the_round(application, reader, staff_user):
    for _ in range(2):
        other = ApplicationFactory(round=application.round, status=Application.Status.SUBMITTED)
        AssignmentFactory(status="accepted", application=other, reader=reader)
    AssignmentFactory(
        status="accepted", application=ApplicationFactory(status=Application.Status.SUBMITTED), reader=reader
    )

    assert refused(application=application, reader=reader, by=staff_user, max_per_reader=2) == (
        "Rita Reader already reads 2 applications in this round, the maximum of 2."
    )
    assert assignment.assign(application=application, reader=reader, by=staff_user, max_per_reader=3)


def test_removing_a_reader_keeps_the_reason_and_who(application, reader, staff_user):
    made = AssignmentFactory(status="accepted", application=application, reader=reader)

    assignment.remove(assignment=made, by=staff_user, reason="Withdrew: on leave")

    made.refresh_from_db()
    assert made.status == Assignment.Status.REMOVED
    assert made.end_reason == "Withdrew: on leave"
    assert made.ended_at is not None
    assert made.history.first().history_user == staff_user
    assert not Assignment.objects.active().exists()


def test_removing_needs_a_reason_and_an_active_assignment(application, reader, staff_user):
    made = AssignmentFactory(status="accepted", application=application, reader=reader)
    with pytest.raises(Refusal, match="Give a reason"):
        assignment.remove(assignment=made, by=staff_user, reason="  ")
    assignment.remove(assignment=made, by=staff_user, reason="Withdrew")
    with pytest.raises(Refusal, match="already ended"):
        assignment.remove(assignment=made, by=staff_user, reason="Again")


def test_a_removed_reader_may_be_assigned_again_by_hand(application, reader, staff_user):
    made = AssignmentFactory(status="accepted", application=application, reader=reader)
    assignment.remove(assignment=made, by=staff_user, reason="Mistake")

    again = assignment.assign(application=application, reader=reader, by=staff_user)

    assert list(Assignment.objects.active()) == [again]


def test_reassigning_replaces_one_reader_with_another(application, reader, staff_user):
    made = AssignmentFactory(status="accepted", application=application, reader=reader)
    other = UserFactory(role="Readers")

    new = assignment.reassign(assignment=made, to=other, by=staff_user, reason="Withdrew")

    made.refresh_from_db()
    assert made.status == Assignment.Status.REMOVED
    assert list(Assignment.objects.active()) == [new]
    assert new.reader == other


def test_a_refused_reassignment_keeps_the_first_reader(application, reader, staff_user):
    made = AssignmentFactory(status="accepted", application=application, reader=reader)
    conflicted = UserFactory(role="Readers")
    AffiliationFactory(user=conflicted, organization=application.consortium.lead_agency)

    with pytest.raises(Refusal, match="conflict of interest"):
        assignment.reassign(assignment=made, to=conflicted, by=staff_user, reason="Withdrew")

    made.refresh_from_db()
    assert made.status == Assignment.Status.ACCEPTED
