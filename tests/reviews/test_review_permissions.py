"""Who may open which review URL: the assigned reader only, after attesting, and never with a conflict."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.applications.models import Attachment
from grants.reviews.models import Assignment
from grants.reviews.services import reviews

from ..factories import (
    AffiliationFactory,
    AssignmentFactory,
    ConflictFactory,
    ContactFactory,
    CriterionFactory,
    MembershipFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def assignment(db):
    assignment = AssignmentFactory()
    CriterionFactory(round=assignment.application.round, max_points=Decimal("10"))
    return assignment


@pytest.fixture
def attachment(assignment):
    application = assignment.application
    return Attachment.objects.create(
        application=application,
        file=SimpleUploadedFile("workplan.pdf", PDF),
        original_name="workplan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=application.created_by,
    )


REFUSED_EVERYWHERE = {"review": 403, "attest": 403, "conflict": 403, "others": 403, "attachment": 403}


def _statuses(client, assignment, attachment) -> dict[str, int]:
    urls = {
        "review": reverse("reviews:review", args=[assignment.pk]),
        "attest": reverse("reviews:review-attest", args=[assignment.pk]),
        "conflict": reverse("reviews:review-conflict", args=[assignment.pk]),
        "others": reverse("reviews:review-others", args=[assignment.pk]),
        "attachment": reverse("reviews:attachment", args=[assignment.pk, attachment.pk]),
    }
    return {name: client.get(url).status_code for name, url in urls.items()}


def _attest_and_submit(assignment):
    reviews.attest(assignment=assignment, by=assignment.reader)
    criterion = assignment.application.round.criteria.get()
    data = {"scores": {criterion.pk: {"points": Decimal("9"), "comment": ""}}}
    reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, assignment, attachment):
    for name, status in _statuses(client, assignment, attachment).items():
        assert status == 302, name
    response = client.get(reverse("reviews:review", args=[assignment.pk]))
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("reviews:reviews")).status_code == 302


def test_unknown_assignments_are_not_found(client, reader_user):
    client.force_login(reader_user)

    for name in ("review", "review-attest", "review-conflict", "review-others"):
        assert client.get(reverse(f"reviews:{name}", args=[987654])).status_code == 404, name


def test_a_reader_not_assigned_is_refused_everything(client, assignment, attachment, reader_user):
    client.force_login(reader_user)

    assert _statuses(client, assignment, attachment) == REFUSED_EVERYWHERE


def test_another_reader_of_the_same_application_cannot_use_my_assignment(client, assignment, attachment):
    mine_submitted = AssignmentFactory(application=assignment.application, status=Assignment.Status.ACCEPTED)
    client.force_login(mine_submitted.reader)

    statuses = _statuses(client, assignment, attachment)

    assert statuses == REFUSED_EVERYWHERE
    # their own assignment opens the same file
    own = reverse("reviews:attachment", args=[mine_submitted.pk, attachment.pk])
    assert client.get(own).status_code == 200


def test_an_assigned_reader_must_attest_before_opening_anything(client, assignment, attachment):
    client.force_login(assignment.reader)

    statuses = _statuses(client, assignment, attachment)

    assert statuses == {"review": 302, "attest": 200, "conflict": 200, "others": 403, "attachment": 403}


def test_an_attested_reader_opens_the_application_and_its_files(client, assignment, attachment):
    reviews.attest(assignment=assignment, by=assignment.reader)
    client.force_login(assignment.reader)

    statuses = _statuses(client, assignment, attachment)

    assert statuses == {"review": 200, "attest": 302, "conflict": 200, "others": 403, "attachment": 200}


def test_a_conflict_recorded_after_attesting_closes_every_url(client, assignment, attachment):
    _attest_and_submit(assignment)
    ConflictFactory(reader=assignment.reader, consortium=assignment.application.consortium)
    client.force_login(assignment.reader)

    assert _statuses(client, assignment, attachment) == REFUSED_EVERYWHERE


def test_a_reader_affiliated_with_a_member_sees_only_the_conflict_notice(client, assignment, attachment):
    member = MembershipFactory(consortium=assignment.application.consortium).organization
    AffiliationFactory(user=assignment.reader, organization=member)
    client.force_login(assignment.reader)

    statuses = _statuses(client, assignment, attachment)

    assert statuses == {"review": 403, "attest": 200, "conflict": 200, "others": 403, "attachment": 403}
    html = client.get(reverse("reviews:review-attest", args=[assignment.pk])).content.decode()
    assert assignment.application.title not in html


def test_an_affiliation_found_after_attesting_closes_every_url(client, assignment, attachment):
    _attest_and_submit(assignment)
    AffiliationFactory(user=assignment.reader, organization=assignment.application.consortium.lead_agency)
    client.force_login(assignment.reader)

    assert set(_statuses(client, assignment, attachment).values()) == {403}


def test_a_reader_who_declared_a_conflict_is_refused_everything(client, assignment, attachment):
    reviews.declare_conflict(assignment=assignment, by=assignment.reader, reason="Former board member.")
    client.force_login(assignment.reader)

    assert set(_statuses(client, assignment, attachment).values()) == {403}


def test_applicants_and_staff_cannot_score_a_readers_assignment(client, assignment, attachment, staff_user):
    reviews.attest(assignment=assignment, by=assignment.reader)
    applicant = ContactFactory(consortium=assignment.application.consortium).user
    for user in (applicant, staff_user):
        client.force_login(user)
        assert client.get(reverse("reviews:review", args=[assignment.pk])).status_code == 403
        assert client.post(reverse("reviews:review", args=[assignment.pk]), {"submit": "submit"}).status_code == 403


def test_a_declined_assignment_cannot_be_scored_by_post(client, assignment):
    criterion = assignment.application.round.criteria.get()
    reviews.declare_conflict(assignment=assignment, by=assignment.reader, reason="Former board member.")
    client.force_login(assignment.reader)

    response = client.post(
        reverse("reviews:review", args=[assignment.pk]), {f"points_{criterion.pk}": "9", "submit": "submit"}
    )

    assert response.status_code == 403
    assert not assignment.application.assignments.filter(review__isnull=False).exists()


def test_the_queue_lists_only_the_signed_in_readers_assignments(client, assignment):
    stranger = UserFactory(role="Readers")
    client.force_login(stranger)

    html = client.get(reverse("reviews:reviews")).content.decode()

    assert assignment.application.number not in html
    assert "No application is assigned to you" in html
