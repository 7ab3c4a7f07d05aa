from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards.models import Award, FundingPlan, Instalment, Notice
from grants.awards.services.allocation import build_plan
from grants.programs.models import Round
from tests.factories import ContactFactory, FundingCategoryFactory, RoundFactory, ranked_application, submit

D = Decimal


@pytest.fixture
def round_(db):
    return RoundFactory(funds_available=D("1000000.00"), status=Round.Status.IN_REVIEW, grant_years=4)


@pytest.fixture
def plan(round_, staff_user):
    """Two of three applications funded ($800,000); the third is declined. Submitted for approval."""
    category = FundingCategoryFactory(round=round_, name="Large", maximum_award=D("600000.00"), planned_grants=3)
    for rank in (1, 2, 3):
        application = ranked_application(round_, category, rank, "400000.00")
        if rank != 3:
            ContactFactory(consortium=application.consortium)
    plan = FundingPlan.objects.create(round=round_, created_by=staff_user)
    build_plan(plan=plan)
    plan.refresh_from_db()
    return submit(plan)


def approve(client, plan, **data):
    payload = {"conditions": "Quarterly progress reports to CDE."}
    payload.update(data)
    return client.post(reverse("awards:plan-approve", args=[plan.pk]), payload, follow=True)


def test_the_confirmation_page_summarises_awards_money_and_notices(client, admin_user, plan):
    client.force_login(admin_user)
    content = client.get(reverse("awards:plan-approve", args=[plan.pk])).content.decode()
    assert 'Awards to be made</dt><dd class="col-sm-8">2, $800,000.00 in total' in content
    assert "$200,000.00 of $1,000,000.00" in content  # left in the round afterwards
    assert "2 award notices with the award letter attached, and 1 decline notice" in content
    declined = plan.lines.get(rank=3).application
    assert f"{declined.consortium} ({declined.number})" in content  # warned: it has no contacts
    assert "Approve the plan and make 2 awards" in content


def test_approving_through_the_page_makes_the_awards_with_a_front_loaded_schedule(client, admin_user, plan, round_):
    client.force_login(admin_user)
    response = approve(client, plan, share_0="40", share_1="30", share_2="20", share_3="10")
    assert response.redirect_chain[-1][0] == reverse("awards:round-awards", args=[round_.pk])
    assert "Plan approved: 2 awards offered, $800,000.00 committed. 3 notices are being sent." in (
        response.content.decode()
    )
    awards = list(Award.objects.order_by("number"))
    assert [a.amount for a in awards] == [D("400000.00")] * 2
    assert awards[0].conditions == "Quarterly progress reports to CDE."
    assert [i.amount for i in awards[0].instalments.order_by("fiscal_year")] == [
        D("160000.00"), D("120000.00"), D("80000.00"), D("40000.00"),
    ]  # fmt: skip
    plan.refresh_from_db()
    round_.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == admin_user
    assert round_.status == "decided"
    assert Notice.objects.count() == 3


def test_equal_payments_when_no_schedule_is_given(client, admin_user, plan):
    client.force_login(admin_user)
    approve(client, plan)
    assert set(Instalment.objects.values_list("amount", flat=True)) == {D("100000.00")}


def test_a_schedule_that_does_not_add_up_to_100_is_refused_and_kept(client, admin_user, plan):
    client.force_login(admin_user)
    response = approve(client, plan, share_0="40", share_1="30", share_2="20", share_3="5")
    content = response.content.decode()
    assert "The percentages of the payment schedule add up to 95%; they must add up to 100%." in content
    assert 'value="5"' in content and "Quarterly progress reports to CDE." in content
    assert not Award.objects.exists()


def test_a_schedule_with_a_missing_year_is_refused_next_to_it(client, admin_user, plan):
    client.force_login(admin_user)
    response = approve(client, plan, share_0="50", share_1="50")
    assert response.content.decode().count("Enter a percentage for every fiscal year, or leave them all empty.") == 2
    assert not Award.objects.exists()


def test_approving_twice_makes_one_set_of_awards(client, admin_user, plan, round_):
    client.force_login(admin_user)
    approve(client, plan)
    again = approve(client, plan)  # a double click, or the same page open in a second tab
    assert "This plan is already approved; no further awards were made." in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("awards:round-awards", args=[round_.pk])
    assert Award.objects.count() == 2
    assert Instalment.objects.count() == 8
    assert Notice.objects.count() == 3


def test_over_commitment_is_shown_and_nothing_is_made(client, admin_user, plan, round_):
    Round.objects.filter(pk=round_.pk).update(funds_available=D("700000.00"))
    client.force_login(admin_user)
    response = approve(client, plan)
    assert "The plan commits $800,000.00, more than the $700,000.00 left in " in response.content.decode()
    assert not Award.objects.exists()
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_program_staff_cannot_approve(client, staff_user, plan):
    client.force_login(staff_user)
    assert client.get(reverse("awards:plan-approve", args=[plan.pk])).status_code == 403
    assert client.post(reverse("awards:plan-approve", args=[plan.pk]), {}).status_code == 403
    assert not Award.objects.exists()


def test_the_plan_page_offers_approval_only_to_administrators(client, staff_user, admin_user, plan, round_):
    url = reverse("awards:plan", args=[round_.pk])
    approve_url = reverse("awards:plan-approve", args=[plan.pk])
    client.force_login(staff_user)
    assert approve_url not in client.get(url).content.decode()
    client.force_login(admin_user)
    assert approve_url in client.get(url).content.decode()
