from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.awards.models import FundingPlan, PlanLine
from grants.awards.services.allocation import build_plan
from grants.awards.services.plans import LineAction, change_line
from tests.factories import ranked_application

D = Decimal


@pytest.fixture
def plan(round_, category, staff_user):
    """Ranks 1-3 ask $400,000 each: 1 and 2 are funded, 3 is not ($200,000 left). Rank 4 is not fundable."""
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")
    ranked_application(round_, category, 4, "100000.00", fundable=False, final=D("40"))
    plan = FundingPlan.objects.create(round=round_, created_by=staff_user)
    build_plan(plan=plan)
    return plan


def line(plan, rank) -> PlanLine:
    return plan.lines.select_related("application").get(rank=rank)


def change(client, target, **data):
    return client.post(reverse("awards:plan-line", args=[target.pk]), data, follow=True)


def test_a_change_without_a_reason_is_refused_next_to_the_field(client, staff_user, plan):
    client.force_login(staff_user)
    response = change(client, line(plan, 1), action="exclude", reason="  ")
    assert response.status_code == 200
    assert "Give a reason; it is kept in the record." in response.content.decode()
    assert line(plan, 1).override_funded is None and line(plan, 1).funded


def test_excluding_an_application_funds_the_next_one_and_records_who_and_why(client, staff_user, plan):
    client.force_login(staff_user)
    third = line(plan, 3)
    response = change(client, line(plan, 1), action="exclude", reason="Duplicate of another consortium's project.")
    first = line(plan, 1)
    assert not first.funded and first.override_funded is False
    assert first.override_by == staff_user and first.override_reason == "Duplicate of another consortium's project."
    assert "Not funded by staff decision: Duplicate" in first.explanation
    assert line(plan, 3).funded
    content = response.content.decode()
    assert f"{third.application.number} is now funded" in content
    assert "Exclude (do not fund it)" in content  # the plan's history of staff changes


def test_the_amount_is_at_most_the_request_and_the_category_maximum(client, staff_user, plan, category):
    client.force_login(staff_user)
    response = change(client, line(plan, 1), action="amount", amount="400,000.01", reason="More equipment.")
    assert "Enter at most the $400,000.00 requested." in response.content.decode()
    category.maximum_award = D("350000.00")
    category.save()
    response = change(client, line(plan, 1), action="amount", amount="360000", reason="More equipment.")
    assert "Enter at most the Large category&#x27;s maximum of $350,000.00." in response.content.decode()
    assert line(plan, 1).override_amount is None


def test_an_amount_is_required_to_change_the_amount(client, staff_user, plan):
    client.force_login(staff_user)
    response = change(client, line(plan, 1), action="amount", amount="", reason="Smaller scope.")
    assert "Enter the amount to fund." in response.content.decode()


def test_lowering_an_amount_lets_the_next_application_fit(client, staff_user, plan):
    client.force_login(staff_user)
    response = change(client, line(plan, 2), action="amount", amount="200000", reason="Scope cut to two sites.")
    assert line(plan, 2).amount == D("200000.00") and line(plan, 2).override_amount == D("200000.00")
    assert line(plan, 3).funded and line(plan, 3).amount == D("400000.00")
    plan.refresh_from_db()
    assert plan.total == D("1000000.00")
    assert "This also changed:" in response.content.decode()


def _two_big(round_, category, staff_user, policy="skip"):
    """Rank 1 and 2 ask $600,000 each of the round's $1,000,000: rank 2 is not funded."""
    ranked_application(round_, category, 1, "600000.00")
    ranked_application(round_, category, 2, "600000.00")
    plan = FundingPlan.objects.create(round=round_, created_by=staff_user, last_application=policy)
    build_plan(plan=plan)
    return plan


def test_an_amount_that_no_longer_fits_is_refused_and_nothing_changes(client, staff_user, round_, category):
    plan = _two_big(round_, category, staff_user)
    client.force_login(staff_user)
    change(client, line(plan, 2), action="amount", amount="400000", reason="Fund the core of the project.")
    assert line(plan, 2).funded and line(plan, 2).amount == D("400000.00")
    response = change(client, line(plan, 2), action="amount", amount="450000", reason="Add a site.")
    content = response.content.decode()
    assert "At $450,000.00, " in content
    assert (
        "no longer fits: Needs $450,000.00 but only $400,000.00 is left in the round. Nothing was changed." in content
    )
    assert line(plan, 2).override_amount == D("400000.00") and line(plan, 2).funded


def test_an_amount_only_partly_funded_is_refused(staff_user, round_, category):
    plan = _two_big(round_, category, staff_user, policy="partial")
    assert line(plan, 2).amount == D("400000.00")  # partially funded
    with pytest.raises(Refusal, match=r"Only \$400,000.00 of \$450,000.00 fits"):
        change_line(line=line(plan, 2), by=staff_user, action=LineAction.AMOUNT, amount=D("450000"), reason="More.")
    assert line(plan, 2).override_amount is None


def test_including_an_application_that_cannot_fit_is_refused_with_the_reason(client, staff_user, plan):
    client.force_login(staff_user)
    response = change(client, line(plan, 3), action="include", reason="Strong regional need.")
    content = response.content.decode()
    assert "cannot be included: Needs $400,000.00 but only $200,000.00 is left in the round." in content
    assert "Nothing was changed." in content
    assert line(plan, 3).override_funded is None and not line(plan, 3).funded
    assert not PlanLine.history.filter(override_by__isnull=False).exists()


def test_including_an_application_below_the_fundable_score_funds_it_when_the_money_allows(client, staff_user, plan):
    client.force_login(staff_user)
    change(client, line(plan, 4), action="include", reason="Appeal upheld: a reader mis-scored criterion 2.")
    fourth = line(plan, 4)
    assert fourth.funded and fourth.amount == D("100000.00")
    assert fourth.explanation == "Funded by staff decision: Appeal upheld: a reader mis-scored criterion 2."


def test_a_swap_excludes_one_and_funds_the_other(client, staff_user, plan):
    client.force_login(staff_user)
    response = client.post(
        reverse("awards:plan-swap", args=[plan.pk]),
        {"exclude": line(plan, 2).pk, "include": line(plan, 3).pk, "reason": "Rank 2 duplicates rank 1's pathway."},
        follow=True,
    )
    assert not line(plan, 2).funded and line(plan, 3).funded
    assert line(plan, 2).override_funded is False and line(plan, 3).override_funded is True
    assert "Swapped:" in line(plan, 3).override_reason
    assert "is now funded at $400,000.00" in response.content.decode()


def test_a_swap_that_still_cannot_fit_changes_nothing(client, staff_user, round_, category, plan):
    big = ranked_application(round_, category, 5, "600000.00")
    build_plan(plan=plan)
    client.force_login(staff_user)
    big_line = plan.lines.get(application=big)
    response = client.post(
        reverse("awards:plan-swap", args=[plan.pk]),
        {"exclude": line(plan, 4).pk if line(plan, 4).funded else line(plan, 2).pk, "include": big_line.pk,
         "reason": "Try the bigger project."},
        follow=True,
    )  # fmt: skip
    assert "still cannot be funded" in response.content.decode()
    assert not PlanLine.objects.filter(plan=plan).exclude(override_funded=None).exists()


def test_removing_a_staff_change_restores_the_computed_decision_and_history_keeps_both(client, staff_user, plan):
    client.force_login(staff_user)
    first = line(plan, 1)
    change(client, first, action="exclude", reason="Pending an audit.")
    change(client, first, action="clear", reason="The audit found nothing.")
    first = line(plan, 1)
    assert first.funded and first.override_funded is None
    page = client.get(reverse("awards:plan-line", args=[first.pk])).content.decode()
    assert "Pending an audit." in page and "Staff change removed: The audit found nothing." in page
    assert first.history.filter(override_by=staff_user).count() == 2


def test_there_is_nothing_to_remove_from_a_line_without_a_change(client, staff_user, plan):
    client.force_login(staff_user)
    response = change(client, line(plan, 1), action="clear", reason="Tidy.")
    assert "This application has no staff change to remove." in response.content.decode()


def test_an_approved_plan_cannot_change(staff_user, plan):
    FundingPlan.objects.filter(pk=plan.pk).update(status=FundingPlan.Status.APPROVED)
    with pytest.raises(Refusal, match="only a draft plan can change"):
        change_line(line=line(plan, 1), by=staff_user, action=LineAction.EXCLUDE, reason="Late change.")
    assert line(plan, 1).override_funded is None


def test_a_change_posted_after_approval_is_refused_with_a_message(client, staff_user, plan):
    FundingPlan.objects.filter(pk=plan.pk).update(status=FundingPlan.Status.APPROVED)
    client.force_login(staff_user)
    response = change(client, line(plan, 1), action="exclude", reason="Too late.")
    assert "This plan is approved; only a draft plan can change." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("awards:plan", args=[plan.round_id])
    assert line(plan, 1).override_funded is None
