"""The staff conflicts page of a round: every reader's conflicts with reasons, and recording a new one."""

import pytest
from django.urls import reverse

from grants.applications.models import Application
from grants.reviews.models import Assignment, Conflict
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    ConflictFactory,
    MembershipFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory()


@pytest.fixture
def app(round_):
    return ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-001")


@pytest.fixture
def reader():
    return UserFactory(role="Readers", first_name="Rita", last_name="Reader")


def url(round_):
    return reverse("reviews:round-conflicts", args=[round_.pk])


def test_it_shows_computed_declared_and_staff_conflicts_with_reasons(staff_client, round_, app, reader, staff_user):
    member = MembershipFactory(consortium=app.consortium).organization
    AffiliationFactory(user=reader, organization=member, position="Trustee")
    ConflictFactory(reader=reader, consortium=app.consortium, source="declared", reason="My son studies there")
    other = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-002")
    ConflictFactory(
        reader=reader,
        consortium=None,
        organization=other.consortium.lead_agency,
        reason="Contractor last year",
        recorded_by=staff_user,
    )
    UserFactory(role="Readers", first_name="Free", last_name="Reader")

    response = staff_client.get(url(round_))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Affiliated with {member} (Trustee): R1-001" in html
    assert "Declared by the reader" in html and "My son studies there" in html
    assert "Recorded by staff" in html and "Contractor last year" in html
    assert str(staff_user) in html
    rows = {str(row.reader): [a.number for a in row.applications] for row in response.context["overview"]}
    assert rows == {"Rita Reader": ["R1-001", "R1-002"], "Free Reader": []}


def test_staff_record_a_conflict(staff_client, staff_user, round_, app, reader):
    response = staff_client.post(
        url(round_),
        {"reader": reader.pk, "consortium": app.consortium.pk, "reason": "Spouse is the project director"},
        follow=True,
    )

    conflict = Conflict.objects.get()
    assert (conflict.reader, conflict.consortium, conflict.source) == (reader, app.consortium, "staff")
    assert (conflict.reason, conflict.recorded_by) == ("Spouse is the project director", staff_user)
    html = response.content.decode()
    assert f"Recorded the conflict of Rita Reader with {app.consortium}." in html
    assert "Spouse is the project director" in html


def test_a_conflict_that_hits_an_active_assignment_ends_it(staff_client, round_, app, reader):
    made = AssignmentFactory(status="accepted", application=app, reader=reader)

    response = staff_client.post(
        url(round_),
        {"reader": reader.pk, "organization": app.consortium.lead_agency.pk, "reason": "Works there"},
        follow=True,
    )

    made.refresh_from_db()
    assert made.status == Assignment.Status.REMOVED
    assert made.end_reason == "Conflict of interest recorded by staff: Works there"
    assert "Ended their assignment to R1-001: it needs another reader." in response.content.decode()
    board = staff_client.get(reverse("reviews:assignment-board", args=[round_.pk]))
    assert {r.application.number: r.missing for r in board.context["rows"]} == {"R1-001": 3}


def test_a_missing_reason_is_shown_next_to_the_field_and_the_choices_are_kept(staff_client, round_, app, reader):
    response = staff_client.post(url(round_), {"reader": reader.pk, "consortium": app.consortium.pk, "reason": " "})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == ["Say why the reader is in conflict; it is kept in the record."]
    html = response.content.decode()
    assert f'<option value="{reader.pk}" selected>' in html
    assert f'<option value="{app.consortium.pk}" selected>' in html
    assert not Conflict.objects.exists()


def test_it_needs_exactly_one_of_consortium_or_organization(staff_client, round_, app, reader):
    neither = staff_client.post(url(round_), {"reader": reader.pk, "reason": "Why"})
    both = staff_client.post(
        url(round_),
        {
            "reader": reader.pk,
            "consortium": app.consortium.pk,
            "organization": app.consortium.lead_agency.pk,
            "reason": "Why",
        },
    )

    assert neither.context["form"].errors["consortium"] == [
        "Choose the consortium or the organization the reader is in conflict with."
    ]
    assert both.context["form"].errors["organization"] == ["Choose either a consortium or an organization, not both."]
    assert 'name="reason"' in both.content.decode() and ">\nWhy</textarea>" in both.content.decode()
    assert not Conflict.objects.exists()


def test_only_readers_can_be_named(staff_client, round_, app, applicant_user):
    response = staff_client.post(
        url(round_), {"reader": applicant_user.pk, "consortium": app.consortium.pk, "reason": "Why"}
    )

    assert "reader" in response.context["form"].errors
    assert not Conflict.objects.exists()


def test_the_page_takes_the_same_number_of_queries_for_few_or_many_readers(
    staff_client, round_, app, staff_user, django_assert_max_num_queries
):
    def add_readers(count):
        for _ in range(count):
            person = UserFactory(role="Readers")
            AffiliationFactory(user=person, organization=app.consortium.lead_agency)
            ConflictFactory(reader=person, consortium=app.consortium, recorded_by=staff_user)

    add_readers(2)
    with django_assert_max_num_queries(30) as few:
        staff_client.get(url(round_))
    add_readers(10)
    with django_assert_max_num_queries(30) as many:
        response = staff_client.get(url(round_))
    assert len(response.context["overview"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_readers_are_listed_a_page_at_a_time(staff_client, round_, monkeypatch):
    from grants.reviews.views import assignments

    monkeypatch.setattr(assignments, "READERS_PAGE_SIZE", 2)
    names = [f"Reader{n}" for n in "ABCDE"]
    for name in names:
        UserFactory(role="Readers", first_name="Pat", last_name=name)

    first = staff_client.get(url(round_))
    last = staff_client.get(url(round_), {"page": 3})

    assert [row.reader.last_name for row in first.context["overview"]] == names[:2]
    assert [row.reader.last_name for row in last.context["overview"]] == names[4:]
    assert "Page 1 of 3" in first.content.decode()
