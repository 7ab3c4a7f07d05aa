from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Region
from grants.awards.models import FundingPlan, PlanLine
from grants.programs.models import Round
from tests.factories import ConsortiumFactory, ranked_application

D = Decimal


def generate(client, round_, **data):
    payload = {"last_application": "skip", "minimum_partial": ""}
    payload.update(data)
    return client.post(reverse("awards:plan-generate", args=[round_.pk]), payload, follow=True)


def test_generating_a_plan_funds_in_rank_order_and_draws_the_funding_line(client, staff_user, round_, category):
    apps = [ranked_application(round_, category, rank, "400000.00") for rank in (1, 2, 3)]
    client.force_login(staff_user)
    response = generate(client, round_)
    content = response.content.decode()
    plan = FundingPlan.objects.get(round=round_)
    assert plan.status == "draft" and plan.created_by == staff_user
    assert [line.funded for line in plan.lines.order_by("rank")] == [True, True, False]
    assert "Funding plan computed: 2 applications funded, $800,000.00 committed; $200,000.00 left" in content
    assert "Funding line: rank 2</strong> is the last funded rank" in content
    assert "Funding line of Large: rank 2 is the last funded" in content
    assert "Needs $400,000.00 but only $200,000.00 is left in the round." in content
    for application in apps:
        assert application.number in content and str(application.consortium) in content
    # The funding line is drawn after rank 2 and before rank 3.
    assert content.index(apps[1].number) < content.index("Funding line of Large") < content.index(apps[2].number)


def test_the_partial_policy_funds_the_last_application_with_what_is_left(client, staff_user, round_, category):
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")
    client.force_login(staff_user)
    generate(client, round_, last_application="partial", minimum_partial="150,000")
    plan = FundingPlan.objects.get(round=round_)
    assert plan.minimum_partial == D("150000.00")
    third = plan.lines.get(rank=3)
    assert third.funded and third.amount == D("200000.00")
    assert "Partially funded" in third.explanation


def test_a_partial_award_below_the_smallest_partial_is_not_offered(client, staff_user, round_, category):
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")
    client.force_login(staff_user)
    generate(client, round_, last_application="partial", minimum_partial="250000")
    assert not FundingPlan.objects.get(round=round_).lines.get(rank=3).funded


def test_a_regional_minimum_funds_the_best_application_of_that_region(client, staff_user, round_, category):
    north = Region.objects.create(name="Test region far north", position=99)
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")
    far = ranked_application(round_, category, 4, "400000.00", consortium=ConsortiumFactory(region=north))
    client.force_login(staff_user)
    generate(client, round_, **{f"region_{north.pk}": "1"})
    plan = FundingPlan.objects.get(round=round_)
    assert plan.region_minimums == {str(north.pk): 1}
    assert plan.lines.get(application=far).funded
    # It is funded first; the money left then funds only rank 1.
    assert [line.funded for line in plan.lines.order_by("rank")] == [True, False, False, True]


def test_a_mistyped_policy_is_shown_next_to_the_field_and_kept(client, staff_user, round_, category):
    client.force_login(staff_user)
    response = generate(client, round_, last_application="partial", minimum_partial="12,5OO")
    assert response.status_code == 200
    assert "Enter an amount in dollars" in response.content.decode()
    assert 'value="12,5OO"' in response.content.decode()
    assert not FundingPlan.objects.exists()


def test_generating_again_supersedes_the_draft_and_keeps_staff_changes(client, staff_user, round_, category):
    apps = [ranked_application(round_, category, rank, "400000.00") for rank in (1, 2, 3)]
    client.force_login(staff_user)
    generate(client, round_)
    first = FundingPlan.objects.get()
    line = first.lines.get(application=apps[0])
    client.post(
        reverse("awards:plan-line", args=[line.pk]),
        {"action": "exclude", "reason": "The consortium lost its lead agency."},
    )
    response = generate(client, round_, last_application="partial")
    first.refresh_from_db()
    second = FundingPlan.objects.exclude(pk=first.pk).get()
    assert first.status == "superseded" and second.status == "draft"
    carried = second.lines.get(application=apps[0])
    assert carried.override_funded is False and carried.override_by == staff_user
    assert not carried.funded
    assert "1 staff change carried over from the previous draft" in response.content.decode()


def test_plans_are_generated_only_while_the_round_is_in_review(client, staff_user, category):
    round_ = category.round
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    client.force_login(staff_user)
    page = client.get(reverse("awards:plan", args=[round_.pk])).content.decode()
    assert "Funding plans are built while a round is in review" in page
    response = generate(client, round_)
    assert "funding plans are built while it is in review" in response.content.decode()
    assert not FundingPlan.objects.exists()


def test_the_page_shows_the_money_left_in_the_round_and_the_program(client, staff_user, round_, category):
    ranked_application(round_, category, 1, "250000.00")
    client.force_login(staff_user)
    content = generate(client, round_).content.decode()
    # $500M appropriated, 1% set-aside: $495M for all rounds.
    assert "$495,000,000.00" in content
    assert "$494,750,000.00" in content  # left in the program if the plan is approved
    assert "$750,000.00" in content  # left in the round


def test_a_withdrawn_application_is_no_longer_funded_when_the_plan_is_recomputed(client, staff_user, round_, category):
    apps = [ranked_application(round_, category, rank, "400000.00") for rank in (1, 2, 3)]
    client.force_login(staff_user)
    generate(client, round_)
    plan = FundingPlan.objects.get()
    apps[0].status = "withdrawn"
    apps[0].save()
    client.post(reverse("awards:plan-recompute", args=[plan.pk]))
    assert not plan.lines.get(application=apps[0]).funded
    assert plan.lines.get(application=apps[2]).funded


def _plan_with(round_, category, staff_user, count):
    for rank in range(1, count + 1):
        ranked_application(round_, category, rank, "10000.00")
    plan = FundingPlan.objects.create(round=round_, created_by=staff_user)
    from grants.awards.services.allocation import build_plan

    build_plan(plan=plan)
    return plan


def test_the_plan_page_makes_as_many_queries_for_60_applications_as_for_10(client, staff_user, round_, category):
    client.force_login(staff_user)
    plan = _plan_with(round_, category, staff_user, 10)
    line = plan.lines.first()
    PlanLine.objects.filter(pk=line.pk).update(override_funded=False, override_reason="why", override_by=staff_user)
    url = reverse("awards:plan", args=[round_.pk])
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    for rank in range(11, 61):
        ranked_application(round_, category, rank, "10000.00")
    from grants.awards.services.allocation import build_plan

    build_plan(plan=plan)
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(url)
    assert response.content.decode().count('id="line-') == 60
    assert len(sixty) == len(ten)
