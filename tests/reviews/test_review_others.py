"""Other readers' scores: hidden until one's own review is submitted, always hidden under blind reading,
and never with the readers' names."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.reviews.models import Assignment
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory, UserFactory


@pytest.fixture
def mine(db):
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    CriterionFactory(round=assignment.application.round, name="Need", max_points=Decimal("10"))
    return assignment


def _reader(application, first_name, last_name):
    reader = UserFactory(role="Readers", first_name=first_name, last_name=last_name)
    return AssignmentFactory(application=application, reader=reader, status=Assignment.Status.ACCEPTED)


def _score(assignment, points, comment, submit=True):
    criterion = assignment.application.round.criteria.get()
    data = {"scores": {criterion.pk: {"points": Decimal(points), "comment": comment}}, "overall_comment": ""}
    return reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=submit)


@pytest.fixture
def other(mine):
    other = _reader(mine.application, "Ottilie", "Vanderhoeven")
    _score(other, "3", "Ottilie thinks the need statement is thin.")
    return other


def _others_url(assignment):
    return reverse("reviews:review-others", args=[assignment.pk])


def test_others_are_hidden_until_my_own_review_is_submitted(client, mine, other):
    _score(mine, "7", "", submit=False)
    client.force_login(mine.reader)

    assert client.get(_others_url(mine)).status_code == 403
    page = client.get(reverse("reviews:review", args=[mine.pk])).content.decode()
    assert "need statement is thin" not in page
    assert _others_url(mine) not in page


def test_after_submitting_a_reader_sees_the_others_without_names(client, mine, other):
    _score(mine, "7", "")
    client.force_login(mine.reader)

    page = client.get(reverse("reviews:review", args=[mine.pk])).content.decode()
    assert _others_url(mine) in page
    response = client.get(_others_url(mine))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Reader 1" in html
    assert "need statement is thin" in html
    assert "3 of 10" in html
    assert "Vanderhoeven" not in html
    assert other.reader.email not in html


def test_blind_reading_hides_the_others_even_after_submitting(client, mine, other):
    round_ = mine.application.round
    round_.blind_reading = True
    round_.save()
    _score(mine, "7", "")
    client.force_login(mine.reader)

    assert client.get(_others_url(mine)).status_code == 403
    page = client.get(reverse("reviews:review", args=[mine.pk])).content.decode()
    assert _others_url(mine) not in page
    assert "need statement is thin" not in page


def test_drafts_and_ended_assignments_of_others_are_not_shown(client, mine, other):
    drafting = _reader(mine.application, "Dora", "Draftwell")
    _score(drafting, "9", "Unfinished note from Dora.", submit=False)
    leaving = _reader(mine.application, "Lars", "Leaving")
    _score(leaving, "1", "Note from Lars before the conflict came to light.")
    Assignment.objects.filter(pk=leaving.pk).update(status=Assignment.Status.REMOVED)
    _score(mine, "7", "")
    client.force_login(mine.reader)

    html = client.get(_others_url(mine)).content.decode()

    assert "need statement is thin" in html
    assert "Unfinished note from Dora." not in html
    assert "Lars" not in html
    assert "Reader 2" not in html
