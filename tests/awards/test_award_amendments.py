"""Amending an award's amount and grant period: recorded, instalments still add up, never beyond the money."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.awards.models import Amendment
from grants.awards.services.awards import amend
from grants.programs.models import Round
from tests.factories import AwardFactory, RoundFactory, UserFactory
from tests.helpers import race

D = Decimal


def schedule(award):
    return [i.amount for i in award.instalments.order_by("fiscal_year")]


@pytest.fixture
def award(db):
    """$1,000,000 over four fiscal years, front-loaded 40/30/20/10, in a round of $1,100,000."""
    round_ = RoundFactory(status=Round.Status.DECIDED, grant_years=4, funds_available=D("1100000.00"))
    award = AwardFactory(round=round_, amount=D("1000000.00"), instalments=[D(40), D(30), D(20), D(10)])
    award.category.maximum_award = D("2000000.00")
    award.category.save()
    return award


def post(client, award, **data):
    payload = {"amount": award.amount, "start_year": award.start_year, "years": award.years, "reason": "Scope."}
    payload.update(data)
    return client.post(reverse("awards:award-amend", args=[award.pk]), payload, follow=True)


def test_a_decrease_keeps_the_schedule_in_proportion_and_is_recorded(client, award, staff_user):
    client.force_login(staff_user)
    response = post(client, award, amount="500,000", reason="One of two campuses left the consortium.")
    assert "amended: $1,000,000.00 to $500,000.00" in response.content.decode()
    award.refresh_from_db()
    assert award.amount == D("500000.00")
    assert schedule(award) == [D("200000.00"), D("150000.00"), D("100000.00"), D("50000.00")]
    amendment = Amendment.objects.get(award=award)
    assert (amendment.old_amount, amendment.new_amount, amendment.by) == (D("1000000.00"), D("500000.00"), staff_user)
    assert amendment.reason == "One of two campuses left the consortium."
    assert "One of two campuses left the consortium." in response.content.decode()


def test_an_increase_up_to_what_is_left_in_the_round_succeeds(award, staff_user):
    amend(award=award, by=staff_user, amount=D("1100000.00"), start_year=award.start_year, years=4, reason="More.")
    award.refresh_from_db()
    assert award.amount == D("1100000.00")
    assert sum(schedule(award)) == D("1100000.00")


def test_an_increase_one_cent_beyond_the_round_is_refused(client, award, staff_user):
    client.force_login(staff_user)
    response = post(client, award, amount="1100000.01")
    assert "The increase is $100,000.01, more than the $100,000.00 left in" in response.content.decode()
    award.refresh_from_db()
    assert award.amount == D("1000000.00") and not Amendment.objects.exists()


def test_an_increase_beyond_the_programs_money_after_the_set_aside_is_refused(db, staff_user):
    # $500M appropriated, 1% set aside: $495M for all rounds.
    round_ = RoundFactory(status=Round.Status.DECIDED, funds_available=D("600000000.00"))
    award = AwardFactory(round=round_, amount=D("494000000.00"))
    award.category.maximum_award = D("600000000.00")
    award.category.save()
    with pytest.raises(Refusal, match=r"the \$1,000,000.00 the program has left after the set-aside"):
        amend(award=award, by=staff_user, amount=D("495000000.01"), start_year=2026, years=2, reason="More.")
    amend(award=award, by=staff_user, amount=D("495000000.00"), start_year=2026, years=2, reason="More.")


def test_paid_instalments_never_change(award, staff_user):
    first = award.instalments.order_by("fiscal_year").first()
    first.paid_on = date(2026, 9, 1)
    first.save()
    with pytest.raises(Refusal, match=r"\$400,000.00 is already paid"):
        amend(award=award, by=staff_user, amount=D("399999.99"), start_year=2026, years=4, reason="Cut.")
    amend(award=award, by=staff_user, amount=D("700000.00"), start_year=2026, years=4, reason="Cut.")
    award.refresh_from_db()
    # $300,000 left for the unpaid years, in their old proportions 30:20:10.
    assert schedule(award) == [D("400000.00"), D("150000.00"), D("100000.00"), D("50000.00")]


def test_changing_the_period_spreads_what_is_unpaid_evenly(award, staff_user):
    amend(award=award, by=staff_user, amount=D("1000000.00"), start_year=2026, years=5, reason="A no-cost extension.")
    award.refresh_from_db()
    assert award.years == 5 and award.fiscal_years[-1] == "2030-31"
    assert schedule(award) == [D("200000.00")] * 5


def test_the_period_must_keep_a_paid_year(award, staff_user):
    first = award.instalments.order_by("fiscal_year").first()
    first.paid_on = date(2026, 9, 1)
    first.save()
    with pytest.raises(Refusal, match="A payment was made in 2026-27"):
        amend(award=award, by=staff_user, amount=D("1000000.00"), start_year=2027, years=4, reason="Late start.")


def test_the_amount_is_at_most_the_category_maximum_and_a_reason_is_required(client, award, staff_user):
    client.force_login(staff_user)
    content = post(client, award, amount="2000000.01", reason="").content.decode()
    assert "Enter at most the" in content and "maximum of $2,000,000.00." in content
    assert "Give a reason; it is kept in the record." in content
    assert 'value="2000000.01"' in content


def test_an_unchanged_amendment_is_refused(client, award, staff_user):
    client.force_login(staff_user)
    assert "as typed, nothing would change" in post(client, award).content.decode()


def test_a_withdrawn_award_cannot_be_amended(client, award, staff_user):
    award.status = "withdrawn"
    award.save()
    client.force_login(staff_user)
    assert (
        "a withdrawn award cannot be amended"
        in client.get(reverse("awards:award-amend", args=[award.pk])).content.decode()
    )
    with pytest.raises(Refusal, match="cannot be amended"):
        amend(award=award, by=staff_user, amount=D("1.00"), start_year=2026, years=4, reason="x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_increases_at_once_cannot_over_commit_the_round():
    """Each increase of $100,000 fits the $100,000 left on its own; together they do not."""
    staff = UserFactory(role="Program staff")
    round_ = RoundFactory(status=Round.Status.DECIDED, funds_available=D("1100000.00"))
    awards = [AwardFactory(round=round_, amount=D("500000.00")) for _ in range(2)]

    def increase(award):
        try:
            amend(award=award, by=staff, amount=D("600000.00"), start_year=2026, years=2, reason="More sites.")
            return "amended"
        except Refusal as refusal:
            return str(refusal)

    outcomes = race(*(partial(increase, award) for award in awards))
    assert outcomes.count("amended") == 1, outcomes
    assert any("The increase is $100,000.00, more than the $0.00 left in" in outcome for outcome in outcomes)
    assert Amendment.objects.count() == 1
