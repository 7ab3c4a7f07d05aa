"""A reader's queue: every active assignment across rounds, where it stands, and when it is due."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ccpt.lib.dates import PACIFIC
from grants.reviews.models import Assignment

from ..factories import (
    AffiliationFactory,
    AssignmentFactory,
    ReviewFactory,
    RoundFactory,
    SubmissionFactory,
    SubmittedApplicationFactory,
    UserFactory,
)


@pytest.fixture
def reader(db):
    return UserFactory(role="Readers")


def _assign(reader, round_=None, **kwargs):
    application = SubmissionFactory(
        application=SubmittedApplicationFactory(**({"round": round_} if round_ else {}))
    ).application
    return AssignmentFactory(application=application, reader=reader, **kwargs)


def _rows(html):
    return html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]


def test_it_lists_number_title_consortium_round_status_and_due_date(client, reader):
    round_ = RoundFactory(name="Round 2: Implementation", review_due_at=datetime(2026, 3, 28, 17, 0, tzinfo=PACIFIC))
    assignment = _assign(reader, round_)
    client.force_login(reader)

    html = client.get(reverse("reviews:reviews")).content.decode()

    application = assignment.application
    for shown in (application.number, application.title, application.consortium.name, "Round 2: Implementation"):
        assert shown in html
    assert "Awaiting attestation" in html
    assert "March 28, 2026, 5:00 PM PDT" in html


def test_it_says_where_each_review_stands(client, reader):
    awaiting = _assign(reader)
    not_started = _assign(reader, status=Assignment.Status.ACCEPTED)
    draft = ReviewFactory(assignment=_assign(reader, status=Assignment.Status.ACCEPTED)).assignment
    submitted = ReviewFactory(assignment=_assign(reader, status=Assignment.Status.ACCEPTED), status="submitted")
    client.force_login(reader)

    rows = _rows(client.get(reverse("reviews:reviews")).content.decode())

    by_number = {a.application.number: a for a in (awaiting, not_started, draft, submitted.assignment)}
    found = {}
    for row in rows:
        number = next(n for n in by_number if n in row)
        found[number] = row
    assert "Awaiting attestation" in found[awaiting.application.number]
    assert "Attested: not started" in found[not_started.application.number]
    assert "Draft saved" in found[draft.application.number]
    assert "Submitted" in found[submitted.assignment.application.number]
    assert reverse("reviews:review-attest", args=[awaiting.pk]) in found[awaiting.application.number]
    assert reverse("reviews:review", args=[draft.pk]) in found[draft.application.number]


def test_a_conflicted_assignment_shows_no_title_and_offers_to_decline(client, reader):
    assignment = _assign(reader)
    AffiliationFactory(user=reader, organization=assignment.application.consortium.lead_agency)
    client.force_login(reader)

    html = client.get(reverse("reviews:reviews")).content.decode()

    assert "Conflict of interest: you cannot read it" in html
    assert assignment.application.title not in html
    assert f"Decline {assignment.application.number}" in html


def test_ended_assignments_are_not_listed(client, reader):
    declined = _assign(reader, status=Assignment.Status.DECLINED)
    client.force_login(reader)

    html = client.get(reverse("reviews:reviews")).content.decode()

    assert declined.application.number not in html


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:reviews"))
    assert response.status_code == 200
    return len(captured)


def _assign_mixed(reader, count):
    for n in range(count):
        if n % 3 == 0:
            _assign(reader)
        else:
            review = ReviewFactory(assignment=_assign(reader, status=Assignment.Status.ACCEPTED))
            if n % 3 == 2:
                AffiliationFactory(user=reader, organization=review.assignment.application.consortium.lead_agency)


def test_the_queue_takes_as_many_queries_for_40_assignments_as_for_10(client, reader, django_assert_num_queries):
    _assign_mixed(reader, 10)
    client.force_login(reader)
    queries = _queue_queries(client)

    _assign_mixed(reader, 30)

    with django_assert_num_queries(queries):
        response = client.get(reverse("reviews:reviews"))
    assert response.content.decode().count('<th scope="row">') == 40
