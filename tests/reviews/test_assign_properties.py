"""Automatic assignment over random reader pools, conflicts, existing assignments and maximums.

One set of readers and applications is built per test; each Hypothesis example narrows it (disabling
readers, leaving applications in draft), adds conflicts and earlier assignments, runs auto_assign and
rolls everything back.
"""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consortia.models import Affiliation
from grants.applications.models import Application
from grants.reviews.models import Assignment, Conflict
from grants.reviews.services import assignment
from tests.factories import ApplicationFactory, MembershipFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS, APPLICATIONS = 7, 8
S = Assignment.Status
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def base():
    round_ = RoundFactory()
    staff = UserFactory(role="Program staff")
    apps = [
        ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number=f"P-{i:02d}", created_by=staff)
        for i in range(APPLICATIONS)
    ]
    members = [MembershipFactory(consortium=app.consortium).organization for app in apps]
    readers = [UserFactory(role="Readers", email=f"prop{i}@example.org") for i in range(READERS)]
    return {"round": round_, "staff": staff, "apps": apps, "members": members, "readers": readers}


def narrow(base, *, pool_size, app_count, per_application):
    round_ = base["round"]
    round_.readers_per_application = per_application
    round_.save()
    for reader in base["readers"][pool_size:]:
        reader.is_active = False
        reader.save()
    Application.objects.filter(pk__in=[a.pk for a in base["apps"][app_count:]]).update(status="draft")
    return base["readers"][:pool_size], base["apps"][:app_count]


def add_conflict(base, reader, index, kind):
    app, member = base["apps"][index], base["members"][index]
    if kind == "lead":
        Affiliation.objects.create(user=reader, organization=app.consortium.lead_agency)
    elif kind == "member":
        Affiliation.objects.create(user=reader, organization=member)
    elif kind == "declared":
        Conflict.objects.create(
            reader=reader, consortium=app.consortium, source="declared", reason="Mine", recorded_by=reader
        )
    else:
        Conflict.objects.create(
            reader=reader, organization=member, source="staff", reason="Theirs", recorded_by=base["staff"]
        )


def snapshot(round_):
    return list(
        Assignment.objects.filter(application__round=round_).values_list("pk", "application_id", "reader_id", "status")
    )


def loads(pool, rows):
    count = Counter(r for _, _, r, status in rows if status in Assignment.ACTIVE)
    return {reader.pk: count[reader.pk] for reader in pool}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_it_never_assigns_a_conflict_or_a_reader_twice_and_fills_what_it_can(base, data):
    pool_size = data.draw(st.integers(1, READERS), label="readers")
    app_count = data.draw(st.integers(0, APPLICATIONS), label="applications")
    per_application = data.draw(st.integers(1, 4), label="readers per application")
    maximum = data.draw(st.none() | st.integers(1, 8), label="maximum")
    pair = st.tuples(st.integers(0, pool_size - 1), st.integers(0, max(app_count - 1, 0)))
    conflicted = data.draw(st.sets(pair, max_size=14), label="conflicts") if app_count else set()
    kinds = {p: data.draw(st.sampled_from(["lead", "member", "declared", "staff"])) for p in sorted(conflicted)}
    earlier = (
        data.draw(st.dictionaries(pair, st.sampled_from(list(S)), max_size=14), label="earlier") if app_count else {}
    )

    with transaction.atomic():
        pool, apps = narrow(base, pool_size=pool_size, app_count=app_count, per_application=per_application)
        for (r, a), kind in kinds.items():
            add_conflict(base, pool[r], a, kind)
        for (r, a), status in earlier.items():
            Assignment.objects.create(application=apps[a], reader=pool[r], status=status)
        round_ = base["round"]
        before = snapshot(round_)

        result = assignment.auto_assign(round_=round_, by=base["staff"], max_per_reader=maximum)

        after = snapshot(round_)
        transaction.set_rollback(True)

    before_ids = {row[0] for row in before}
    new = [(app_id, reader_id) for pk, app_id, reader_id, _ in after if pk not in before_ids]
    conflict_pairs = {(apps[a].pk, pool[r].pk) for r, a in conflicted}
    had = {(app_id, reader_id) for _, app_id, reader_id, _ in before}
    assert result.created == len(new)
    assert all(status == S.ASSIGNED for pk, *_, status in after if pk not in before_ids)
    # Never a conflict, never the same reader twice, never someone who already had the application.
    assert not set(new) & conflict_pairs
    assert len(set(new)) == len(new)
    assert not set(new) & had

    final_loads = loads(pool, after)
    assert result.loads == final_loads
    if maximum is not None:
        assert all(final_loads[reader_id] <= maximum for _, reader_id in new)

    unfilled = {u.number: u for u in result.unfilled}
    for app in apps:
        active_before = sum(1 for _, a, _, s in before if a == app.pk and s in Assignment.ACTIVE)
        active_after = sum(1 for _, a, _, s in after if a == app.pk and s in Assignment.ACTIVE)
        free = [r for r in pool if (app.pk, r.pk) not in conflict_pairs and (app.pk, r.pk) not in had]
        if active_before >= per_application:
            assert active_after == active_before
            continue
        best = min(per_application, active_before + len(free))
        if maximum is None:
            assert active_after == best
        else:
            assert active_after <= best
            if active_after < best:  # only the maximum can have stopped it
                on_it = {r for _, a, r, s in after if a == app.pk}
                assert all(final_loads[r.pk] >= maximum for r in free if r.pk not in on_it)
        if active_after < per_application:
            assert unfilled[app.number].missing == per_application - active_after
            assert unfilled[app.number].reason
        else:
            assert app.number not in unfilled


@PROPERTY_SETTINGS
@given(data=st.data())
def test_without_conflicts_loads_stay_within_one_of_each_other(base, data):
    pool_size = data.draw(st.integers(1, READERS), label="readers")
    app_count = data.draw(st.integers(0, APPLICATIONS), label="applications")
    per_application = data.draw(st.integers(1, min(4, pool_size)), label="readers per application")
    maximum = data.draw(st.none() | st.integers(1, 8), label="maximum")
    # Existing loads: some applications already have all their readers (any of them).
    full = (
        data.draw(st.sets(st.integers(0, max(app_count - 1, 0)), max_size=app_count), label="full")
        if app_count
        else set()
    )
    readers_of = {a: data.draw(st.permutations(range(pool_size)))[:per_application] for a in sorted(full)}

    with transaction.atomic():
        pool, apps = narrow(base, pool_size=pool_size, app_count=app_count, per_application=per_application)
        for a, readers in readers_of.items():
            for r in readers:
                Assignment.objects.create(application=apps[a], reader=pool[r], status=S.ACCEPTED)
        round_ = base["round"]
        initial = loads(pool, snapshot(round_))

        result = assignment.auto_assign(round_=round_, by=base["staff"], max_per_reader=maximum)

        final = loads(pool, snapshot(round_))
        transaction.set_rollback(True)

    spread = max(final.values()) - min(final.values())
    initial_spread = max(initial.values()) - min(initial.values())
    if not full:
        assert spread <= 1
    if maximum is None:
        assert result.unfilled == []
        assert spread <= max(initial_spread, 1)
    if initial_spread <= 1:
        # Among readers the maximum does not exclude, loads that start even stay within one of each other.
        even = [load for load in final.values() if maximum is None or load < maximum]
        assert not even or max(even) - min(even) <= 1
