from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied

from ccpt.lib.refusal import Refusal
from grants.awards.models import Award, FundingPlan, Instalment, Notice, PlanLine
from grants.awards.services.approval import approve_plan, instalment_amounts
from grants.models import StatusChange
from grants.programs.models import Round
from tests.factories import ApplicationFactory, FundingCategoryFactory, RoundFactory, UserFactory, submit
from tests.helpers import race

D = Decimal


def make_plan(round_, amounts, by, funded=True):
    """A plan of `round_` funding one application per amount, submitted for approval by `by`."""
    category = FundingCategoryFactory(round=round_, maximum_award=D("1000000.00"), planned_grants=10)
    plan = FundingPlan.objects.create(round=round_, created_by=by)
    for rank, amount in enumerate(amounts, start=1):
        application = ApplicationFactory(round=round_, category=category, status="submitted", requested_amount=amount)
        PlanLine.objects.create(
            plan=plan, application=application, category=category, rank=rank, requested=amount, amount=amount,
            funded=funded,
        )  # fmt: skip
    return submit(plan, by=by)


@pytest.fixture
def round_(db):
    return RoundFactory(funds_available=D("1000000.00"), status=Round.Status.IN_REVIEW, grant_years=3)


def test_approving_a_plan_creates_awards_with_instalments_and_notices(admin_user, round_):
    plan = make_plan(round_, [D("600000.00"), D("400000.00")], admin_user)
    PlanLine.objects.create(
        plan=plan,
        application=ApplicationFactory(round=round_, category=plan.lines.first().category, status="submitted"),
        category=plan.lines.first().category,
        requested=D("5"),
        funded=False,
    )
    awards = approve_plan(plan=plan, by=admin_user)
    assert sorted(a.amount for a in awards) == [D("400000.00"), D("600000.00")]
    for award in awards:
        assert sum(i.amount for i in award.instalments.all()) == award.amount
        assert award.instalments.count() == 3
    assert Notice.objects.filter(kind="award").count() == 2
    assert Notice.objects.filter(kind="decline").count() == 1
    plan.refresh_from_db()
    round_.refresh_from_db()
    assert plan.status == FundingPlan.Status.APPROVED and plan.approved_by == admin_user
    assert round_.status == Round.Status.DECIDED
    assert StatusChange.objects.filter(to_status="decided", by=admin_user).exists()


def test_it_refuses_a_plan_one_cent_over_the_round(admin_user, round_):
    plan = make_plan(round_, [D("600000.00"), D("400000.01")], admin_user)
    with pytest.raises(Refusal, match=r"commits \$1,000,000.01, more than the \$1,000,000.00 left in "):
        approve_plan(plan=plan, by=admin_user)
    assert Award.objects.count() == 0


def test_it_refuses_what_the_program_cannot_fund_after_the_set_aside(admin_user, round_):
    # The program holds $500M less a 1% set-aside: $495M for all rounds.
    round_.funds_available = D("600000000.00")
    round_.save()
    plan = make_plan(round_, [D("495000000.01")], admin_user)
    plan.lines.update(requested=D("495000000.01"))
    with pytest.raises(Refusal, match="after the set-aside"):
        approve_plan(plan=plan, by=admin_user)


def test_only_administrators_approve(round_):
    staff = UserFactory(role="Program staff")
    plan = make_plan(round_, [D("1.00")], staff)
    with pytest.raises(PermissionDenied):
        approve_plan(plan=plan, by=staff)


def test_a_second_approval_of_the_same_plan_does_nothing(admin_user, round_):
    plan = make_plan(round_, [D("100.00")], admin_user)
    approve_plan(plan=plan, by=admin_user)
    with pytest.raises(Refusal, match="already approved"):
        approve_plan(plan=plan, by=admin_user)
    assert Award.objects.count() == 1
    assert Instalment.objects.count() == 3


def test_instalments_split_evenly_with_leftover_cents_in_the_first_year():
    assert instalment_amounts(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert instalment_amounts(D("1000.00"), 4, [D(40), D(30), D(20), D(10)]) == [
        D("400.00"),
        D("300.00"),
        D("200.00"),
        D("100.00"),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_round", [True, False], ids=["one round", "two rounds of one program"])
def test_two_administrators_approving_at_once_cannot_over_commit(same_round):
    """Each plan fits on its own; together they exceed the round (or the program's $495M after the set-aside)."""
    admin = UserFactory(role="Administrators")
    first = RoundFactory(funds_available=D("300000000.00"), status=Round.Status.IN_REVIEW)
    second = first if same_round else RoundFactory(
        program=first.program, funds_available=D("300000000.00"), status=Round.Status.IN_REVIEW
    )  # fmt: skip
    amount = D("200000000.00") if same_round else D("250000000.00")
    plans = [make_plan(first, [amount], admin), make_plan(second, [amount], admin)]
    if same_round:  # two separate plans, so the second is not simply superseded by the first
        FundingPlan.objects.filter(pk=plans[1].pk).update(round=first)

    def approve(plan):
        try:
            approve_plan(plan=plan, by=admin)
            return "approved"
        except Refusal as refusal:
            return str(refusal)

    outcomes = race(*(partial(approve, plan) for plan in plans))
    assert len(outcomes) == 2, outcomes
    assert outcomes.count("approved") == 1
    assert Award.objects.count() == 1
