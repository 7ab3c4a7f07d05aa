"""Conflicts of interest: computed from affiliations, declared by readers, recorded by staff."""

import pytest

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.reviews.models import Assignment, Conflict
from grants.reviews.services import assignment, board, conflicts
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    ConflictFactory,
    ConsortiumFactory,
    MembershipFactory,
    OrganizationFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(status=Application.Status.SUBMITTED)


@pytest.fixture
def reader():
    return UserFactory(role="Readers")


def test_a_reader_affiliated_with_the_lead_agency_is_in_conflict(application, reader):
    AffiliationFactory(user=reader, organization=application.consortium.lead_agency)

    assert conflicts.reasons(reader=reader, application=application) == [
        f"Affiliated with {application.consortium.lead_agency}"
    ]
    assert conflicts.has_conflict(reader=reader, application=application)
    pairs = conflicts.conflicted_pairs(applications=Application.objects.all())
    assert pairs == {(reader.pk, application.pk): f"Affiliated with {application.consortium.lead_agency}"}


def test_a_reader_affiliated_with_a_member_organization_is_in_conflict(application, reader):
    member = MembershipFactory(consortium=application.consortium).organization
    AffiliationFactory(user=reader, organization=member)

    assert conflicts.reasons(reader=reader, application=application) == [f"Affiliated with {member}"]
    assert (reader.pk, application.pk) in conflicts.conflicted_pairs(applications=Application.objects.all())


def test_a_reader_affiliated_elsewhere_is_free_of_conflict(application, reader):
    AffiliationFactory(user=reader, organization=OrganizationFactory())
    MembershipFactory()  # a member of another consortium

    assert conflicts.reasons(reader=reader, application=application) == []
    assert conflicts.conflicted_pairs(applications=Application.objects.all()) == {}


def test_a_declared_conflict_with_the_consortium_rules_out_its_applications_only(application, reader):
    other = ApplicationFactory(status=Application.Status.SUBMITTED, round=application.round)
    ConflictFactory(reader=reader, consortium=application.consortium, source="declared", reason="My sister")

    assert conflicts.reasons(reader=reader, application=application) == ["Declared by the reader: My sister"]
    pairs = conflicts.conflicted_pairs(applications=Application.objects.all())
    assert pairs == {(reader.pk, application.pk): "Declared by the reader: My sister"}
    assert not conflicts.has_conflict(reader=reader, application=other)


def test_a_staff_conflict_with_a_member_organization_rules_out_the_consortium(application, reader):
    member = MembershipFactory(consortium=application.consortium).organization
    ConflictFactory(reader=reader, consortium=None, organization=member, reason="Consultant to them last year")

    assert conflicts.reasons(reader=reader, application=application) == [
        "Recorded by staff: Consultant to them last year"
    ]
    assert conflicts.conflicted_pairs(applications=Application.objects.all()) == {
        (reader.pk, application.pk): "Recorded by staff: Consultant to them last year"
    }


def test_conflicted_pairs_takes_the_same_number_of_queries_for_few_or_many_applications(
    django_assert_num_queries, reader, staff_user
):
    round_ = RoundFactory()
    creator = UserFactory()

    def build(count):
        for _ in range(count):
            app = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, created_by=creator)
            MembershipFactory(consortium=app.consortium)
            AffiliationFactory(user=staff_user, organization=app.consortium.lead_agency)
            ConflictFactory(reader=reader, consortium=app.consortium, recorded_by=staff_user)

    build(3)
    with django_assert_num_queries(4):
        small = conflicts.conflicted_pairs(applications=round_.applications.all())
    build(12)
    with django_assert_num_queries(4):
        large = conflicts.conflicted_pairs(applications=round_.applications.all())
    assert len(small) == 6
    assert len(large) == 30


def test_staff_record_a_conflict_with_who_and_why(application, reader, staff_user):
    recorded = assignment.record_conflict(
        reader=reader, by=staff_user, reason="  Spouse works for the lead agency. ", consortium=application.consortium
    )

    conflict = Conflict.objects.get()
    assert recorded.conflict == conflict
    assert (conflict.reader, conflict.consortium, conflict.organization) == (reader, application.consortium, None)
    assert conflict.source == Conflict.Source.STAFF
    assert conflict.reason == "Spouse works for the lead agency."
    assert conflict.recorded_by == staff_user
    assert conflict.recorded_at is not None
    assert conflicts.has_conflict(reader=reader, application=application)


def test_a_staff_conflict_ends_the_active_assignments_it_hits(application, reader, staff_user):
    member = MembershipFactory(consortium=application.consortium).organization
    hit = AssignmentFactory(status="accepted", application=application, reader=reader)
    elsewhere = AssignmentFactory(
        status="accepted",
        application=ApplicationFactory(status=Application.Status.SUBMITTED, round=application.round),
        reader=reader,
    )

    recorded = assignment.record_conflict(reader=reader, by=staff_user, reason="Advises them", organization=member)

    hit.refresh_from_db()
    elsewhere.refresh_from_db()
    assert recorded.ended == [hit]
    assert hit.status == Assignment.Status.REMOVED
    assert hit.ended_at is not None
    assert hit.end_reason == "Conflict of interest recorded by staff: Advises them"
    assert hit.history.first().history_user == staff_user
    assert elsewhere.status == Assignment.Status.ACCEPTED
    row = board.board_rows(round_=application.round, applications=board.board_applications(round_=application.round))
    needs = {r.application.pk: r.missing for r in row}
    assert needs[application.pk] == application.round.readers_per_application


def test_a_staff_conflict_needs_a_reason_and_exactly_one_of_consortium_or_organization(application, reader, staff_user):
    with pytest.raises(Refusal, match="Say why"):
        assignment.record_conflict(reader=reader, by=staff_user, reason=" ", consortium=application.consortium)
    with pytest.raises(Refusal, match="either a consortium or an organization"):
        assignment.record_conflict(reader=reader, by=staff_user, reason="Why")
    with pytest.raises(Refusal, match="either a consortium or an organization"):
        assignment.record_conflict(
            reader=reader,
            by=staff_user,
            reason="Why",
            consortium=application.consortium,
            organization=application.consortium.lead_agency,
        )
    assert not Conflict.objects.exists()


def test_the_overview_lists_each_readers_conflicts_with_the_applications_they_rule_out(staff_user):
    round_ = RoundFactory()
    crane = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R-001")
    other = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R-002")
    ApplicationFactory(round=round_, number="R-003")  # a draft is not read
    member = MembershipFactory(consortium=crane.consortium).organization
    reader = UserFactory(role="Readers", first_name="Ada", last_name="Reader")
    free = UserFactory(role="Readers", first_name="Zed", last_name="Free")
    affiliation = AffiliationFactory(user=reader, organization=member)
    declared = ConflictFactory(reader=reader, consortium=other.consortium, source="declared")
    unrelated = ConflictFactory(reader=reader, consortium=ConsortiumFactory())

    overview = {row.reader: row for row in board.conflicts_overview(round_=round_)}

    assert set(overview) == {reader, free}
    assert overview[reader].affiliations == [(affiliation, [crane])]
    assert sorted(overview[reader].recorded, key=lambda r: r[0].pk) == [(declared, [other]), (unrelated, [])]
    assert overview[reader].applications == [crane, other]
    assert overview[free].applications == []
