"""Automatic assignment: top every submitted application up to N readers, no conflicts, balanced loads."""

from collections import Counter

import pytest
from django.core import mail

from grants.applications.models import Application
from grants.reviews.models import Assignment
from grants.reviews.services import assignment
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    ConflictFactory,
    RoundFactory,
    UserFactory,
)
from tests.helpers import race

pytestmark = pytest.mark.django_db


def make_round(*, applications, readers, per_application=3, prefix="A"):
    round_ = RoundFactory(readers_per_application=per_application)
    creator = UserFactory()
    apps = [
        ApplicationFactory(
            round=round_, status=Application.Status.SUBMITTED, number=f"{prefix}-{i:03d}", created_by=creator
        )
        for i in range(applications)
    ]
    pool = [UserFactory(role="Readers", email=f"{prefix}reader{i}@example.org") for i in range(readers)]
    return round_, apps, pool


def loads_in(round_):
    return Counter(Assignment.objects.active().filter(application__round=round_).values_list("reader_id", flat=True))


def test_every_application_gets_its_readers_and_loads_are_even(staff_user):
    round_, apps, pool = make_round(applications=10, readers=7)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert result.created == 30
    assert result.unfilled == []
    per_app = Counter(Assignment.objects.values_list("application_id", flat=True))
    assert all(per_app[a.pk] == 3 for a in apps)
    loads = loads_in(round_)
    assert sorted(loads.values()) == [4, 4, 4, 4, 4, 5, 5]
    assert (result.min_load, result.max_load) == (4, 5)
    assert result.loads == {r.pk: loads[r.pk] for r in pool}
    assert Assignment.objects.filter(assigned_by__isnull=True, status=Assignment.Status.ASSIGNED).count() == 30


def test_it_never_assigns_a_reader_in_conflict(staff_user):
    round_, apps, pool = make_round(applications=6, readers=5)
    AffiliationFactory(user=pool[0], organization=apps[0].consortium.lead_agency)
    ConflictFactory(reader=pool[1], consortium=apps[0].consortium, recorded_by=staff_user)
    ConflictFactory(reader=pool[2], consortium=None, organization=apps[1].consortium.lead_agency)

    assignment.auto_assign(round_=round_, by=staff_user)

    pairs = set(Assignment.objects.values_list("reader_id", "application_id"))
    assert (pool[0].pk, apps[0].pk) not in pairs
    assert (pool[1].pk, apps[0].pk) not in pairs
    assert (pool[2].pk, apps[1].pk) not in pairs
    assert Assignment.objects.filter(application=apps[0]).count() == 3


def test_existing_assignments_count_and_are_kept(staff_user):
    round_, apps, pool = make_round(applications=4, readers=4, per_application=2)
    busy = pool[0]
    for app in apps[:2]:
        AssignmentFactory(status="accepted", application=app, reader=busy)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert result.created == 6
    assert Assignment.objects.filter(reader=busy).count() == 2
    assert sorted(loads_in(round_).values()) == [2, 2, 2, 2]


def test_a_second_run_changes_nothing(staff_user):
    round_, _, _ = make_round(applications=3, readers=4)
    assignment.auto_assign(round_=round_, by=staff_user)

    again = assignment.auto_assign(round_=round_, by=staff_user)

    assert again.created == 0
    assert Assignment.objects.count() == 9


def test_it_never_picks_a_reader_who_was_removed_from_or_declined_the_application(staff_user):
    round_, apps, pool = make_round(applications=1, readers=3, per_application=2)
    AssignmentFactory(application=apps[0], reader=pool[0], status=Assignment.Status.REMOVED)
    AssignmentFactory(application=apps[0], reader=pool[1], status=Assignment.Status.DECLINED)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert list(Assignment.objects.active().values_list("reader_id", flat=True)) == [pool[2].pk]
    assert [(u.number, u.readers, u.missing) for u in result.unfilled] == [("A-000", 1, 1)]
    assert result.unfilled[0].reason == "2 readers were removed from it or declined it earlier"


def test_it_explains_an_application_short_of_readers_free_of_conflict(staff_user):
    round_, apps, pool = make_round(applications=2, readers=4)
    for reader in pool[:2]:
        AffiliationFactory(user=reader, organization=apps[1].consortium.lead_agency)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert Assignment.objects.filter(application=apps[1]).count() == 2
    assert [(u.number, u.readers, u.missing, u.reason) for u in result.unfilled] == [
        ("A-001", 2, 1, "only 2 of the 4 readers free of conflict")
    ]
    assert result.as_dict()["unfilled"] == [
        {"number": "A-001", "readers": 2, "missing": 1, "reason": "only 2 of the 4 readers free of conflict"}
    ]


def test_the_maximum_per_reader_is_respected_and_explained(staff_user):
    round_, apps, pool = make_round(applications=4, readers=3, per_application=2)

    result = assignment.auto_assign(round_=round_, by=staff_user, max_per_reader=2)

    assert max(loads_in(round_).values()) == 2
    assert result.created == 6
    assert [(u.number, u.readers, u.missing, u.reason) for u in result.unfilled] == [
        ("A-003", 0, 2, "3 free readers have the maximum of 2")
    ]


def test_a_pool_smaller_than_the_readers_needed_is_explained(staff_user):
    round_, _, _ = make_round(applications=1, readers=2)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert [(u.readers, u.missing, u.reason) for u in result.unfilled] == [(2, 1, "only 2 readers in the pool")]


def test_without_readers_nothing_is_assigned_and_it_says_why(staff_user):
    round_, _, _ = make_round(applications=1, readers=0)

    result = assignment.auto_assign(round_=round_, by=staff_user)

    assert result.created == 0
    assert result.unfilled[0].reason == "there are no readers: add people to the Readers group"


def test_only_submitted_applications_of_the_round_get_readers(staff_user):
    round_, apps, pool = make_round(applications=1, readers=3)
    ApplicationFactory(round=round_, status=Application.Status.DRAFT)
    ApplicationFactory(round=round_, status=Application.Status.WITHDRAWN)
    ApplicationFactory(status=Application.Status.SUBMITTED)  # another round

    assignment.auto_assign(round_=round_, by=staff_user)

    assert set(Assignment.objects.values_list("application_id", flat=True)) == {apps[0].pk}


def test_each_reader_gets_one_email_listing_their_applications(staff_user, django_capture_on_commit_callbacks):
    round_, apps, pool = make_round(applications=3, readers=3)

    with django_capture_on_commit_callbacks(execute=True):
        assignment.auto_assign(round_=round_, by=staff_user)

    assert sorted(m.to[0] for m in mail.outbox) == [r.email for r in pool]
    for message in mail.outbox:
        assert message.subject == "CCPT Grants: you are asked to read 3 applications"
        assert all(a.number in message.body for a in apps)


def test_automatic_assignments_are_kept_in_the_history_with_who_ran_it(staff_user):
    round_, _, _ = make_round(applications=2, readers=3)

    assignment.auto_assign(round_=round_, by=staff_user)

    history = Assignment.history.all()
    assert history.count() == 6
    assert {h.history_user_id for h in history} == {staff_user.pk}


def test_it_takes_the_same_number_of_queries_for_a_small_or_a_large_round(staff_user, django_assert_max_num_queries):
    small, _, _ = make_round(applications=2, readers=3, prefix="S")
    large, _, _ = make_round(applications=12, readers=3, prefix="L")

    # 13: the readers' own maximums in the round are one query more.
    with django_assert_max_num_queries(13) as small_queries:
        assignment.auto_assign(round_=small, by=staff_user)
    with django_assert_max_num_queries(13) as large_queries:
        assignment.auto_assign(round_=large, by=staff_user)
    assert len(small_queries.captured_queries) == len(large_queries.captured_queries)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_not_assign_anyone_twice(staff_user):
    round_, apps, _ = make_round(applications=6, readers=5)

    def run():
        assignment.auto_assign(round_=round_, by=staff_user)

    race(run, run)  # fails the test if either run raises

    per_app = Counter(Assignment.objects.active().values_list("application_id", flat=True))
    assert [per_app[a.pk] for a in apps] == [3] * 6
