"""A reader's own maximum in a round: assigning by hand and automatically respect it (the smaller of it and a
run's maximum), and a refusal names it."""

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.reviews.models import Assignment, ReaderLoadCap
from grants.reviews.services import assignment, readers
from tests.factories import RoundFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory(status="in_review", readers_per_application=1)


@pytest.fixture
def rita():
    return UserFactory(role="Readers", first_name="Rita", last_name="Reader")


def apps(round_, n):
    return [SubmittedApplicationFactory(round=round_) for _ in range(n)]


def test_assigning_by_hand_stops_at_the_readers_own_maximum(round_, rita, staff_user):
    first, second = apps(round_, 2)
    readers.set_cap(reader=rita, round_=round_, by=staff_user, maximum=1)
    assignment.assign(application=first, reader=rita, by=staff_user)
    with pytest.raises(Refusal) as refused:
        assignment.assign(application=second, reader=rita, by=staff_user)
    assert refused.value.message == (
        "Rita Reader already reads 1 application in this round, their own maximum of 1 for this round."
    )


def test_the_smaller_of_the_readers_maximum_and_the_runs_applies(round_, rita, staff_user):
    first, second, third = apps(round_, 3)
    readers.set_cap(reader=rita, round_=round_, by=staff_user, maximum=5)
    assignment.assign(application=first, reader=rita, by=staff_user, max_per_reader=1)  # load 0 < 1
    with pytest.raises(Refusal, match="the maximum of 1"):
        assignment.assign(application=second, reader=rita, by=staff_user, max_per_reader=1)
    readers.set_cap(reader=rita, round_=round_, by=staff_user, maximum=1)
    with pytest.raises(Refusal, match="their own maximum of 1"):
        assignment.assign(application=third, reader=rita, by=staff_user, max_per_reader=3)


def test_automatic_assignment_respects_each_readers_own_maximum(round_, rita, staff_user):
    sam = UserFactory(role="Readers")
    apps(round_, 4)
    readers.set_cap(reader=rita, round_=round_, by=staff_user, maximum=1)
    result = assignment.auto_assign(round_=round_, by=staff_user)
    assert result.loads == {rita.pk: 1, sam.pk: 3}
    assert result.created == 4


def test_automatic_assignment_takes_the_smaller_of_the_two_and_says_why_it_fell_short(round_, rita, staff_user):
    sam = UserFactory(role="Readers")
    apps(round_, 5)
    readers.set_cap(reader=rita, round_=round_, by=staff_user, maximum=1)
    result = assignment.auto_assign(round_=round_, by=staff_user, max_per_reader=2)
    assert result.loads == {rita.pk: 1, sam.pk: 2}
    assert len(result.unfilled) == 2
    assert "the maximum of 2 or their own for this round" in result.unfilled[0].reason


def test_a_cap_is_not_counted_in_another_round(round_, rita, staff_user):
    readers.set_cap(reader=rita, round_=RoundFactory(status="in_review"), by=staff_user, maximum=1)
    first, second = apps(round_, 2)
    assignment.assign(application=first, reader=rita, by=staff_user)
    assignment.assign(application=second, reader=rita, by=staff_user)
    assert Assignment.objects.filter(reader=rita).count() == 2


def test_staff_set_and_clear_a_maximum_on_the_reader_page_in_the_audit_trail(staff_client, round_, rita):
    url = reverse("reviews:reader-cap", args=[rita.pk, round_.pk])
    assert staff_client.post(url, {f"r{round_.pk}-maximum": "3"}).status_code == 302
    assert ReaderLoadCap.objects.get(reader=rita, round=round_).maximum == 3
    assert staff_client.post(url, {f"r{round_.pk}-maximum": ""}).status_code == 302
    assert not ReaderLoadCap.objects.exists()
    summaries = list(Event.objects.filter(object_id=rita.pk).values_list("summary", flat=True))
    assert any("no maximum → 3" in s for s in summaries) and any("3 → no maximum" in s for s in summaries)


def test_a_bad_maximum_is_shown_next_to_the_field(staff_client, round_, rita):
    response = staff_client.post(
        reverse("reviews:reader-cap", args=[rita.pk, round_.pk]), {f"r{round_.pk}-maximum": "0"}
    )
    assert response.status_code == 422
    assert "Enter at least 1" in response.content.decode()
