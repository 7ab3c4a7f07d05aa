"""What stops a draft round from opening: Round.configuration_problems(), shown to staff on the round's page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.programs.models import Round

from ..factories import CriterionFactory, FundingCategoryFactory, RoundFactory, configured_round

pytestmark = pytest.mark.django_db


def test_a_fully_configured_round_has_no_problems():
    assert configured_round().configuration_problems() == []


def test_it_asks_for_the_rubric_when_there_are_no_criteria():
    round_ = RoundFactory()
    FundingCategoryFactory(round=round_)
    assert "Add the rubric: at least one criterion." in round_.configuration_problems()


def test_it_asks_for_funding_categories_when_there_are_none():
    round_ = RoundFactory()
    CriterionFactory(round=round_)
    assert "Add at least one funding category." in round_.configuration_problems()


def test_it_refuses_categories_that_plan_more_than_the_funds_available():
    round_ = configured_round(funds_available=Decimal("5000000.00"))
    FundingCategoryFactory(round=round_, maximum_award=Decimal("1000000.00"), planned_grants=4)
    # 2 x $1,000,000 (from configured_round) + 4 x $1,000,000 = $6,000,000 > $5,000,000
    assert (
        "Funding categories plan $6,000,000.00 (maximum award × planned grants), more than the $5,000,000.00 "
        "available." in round_.configuration_problems()
    )


def test_it_refuses_a_closing_time_in_the_past():
    round_ = configured_round(
        opens_at=timezone.now() - timedelta(days=10), closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert "The closing time has passed; set a later one." in round_.configuration_problems()


def test_it_refuses_rounds_that_together_exceed_the_program_after_the_set_aside():
    first = configured_round(funds_available=Decimal("400000000.00"))
    second = configured_round(program=first.program, funds_available=Decimal("95000000.01"))
    # $500,000,000 appropriated less the 1% set-aside leaves $495,000,000 for rounds.
    assert second.configuration_problems() == [
        "With the program's other rounds this makes $495,000,000.01, more than the $495,000,000.00 appropriated "
        "after the set-aside."
    ]
    Round.objects.filter(pk=second.pk).update(funds_available=Decimal("95000000.00"))
    second.refresh_from_db()
    assert second.configuration_problems() == []


def test_it_refuses_a_minimum_fundable_total_above_the_rubric():
    round_ = configured_round(minimum_fundable_score=Decimal("100.01"))
    assert round_.configuration_problems() == ["The minimum fundable total is higher than the rubric's maximum."]


def test_it_asks_which_organizations_may_lead():
    round_ = configured_round(eligible_lead_kinds=[])
    assert round_.configuration_problems() == ["Choose which kinds of organization may lead an application."]


def test_staff_see_why_a_draft_cannot_open_on_the_rounds_page(client, staff_user):
    round_ = RoundFactory(closes_at=timezone.now() + timedelta(days=5))
    client.force_login(staff_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Cannot open yet because:" in page
    assert "Add at least one funding category." in page
    assert "Add the rubric: at least one criterion." in page


def test_administrators_see_the_problems_once_beside_the_disabled_open_button(client, admin_user):
    round_ = RoundFactory(closes_at=timezone.now() + timedelta(days=5))
    client.force_login(admin_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    # Listed once: the disabled button points to the list rather than repeating it.
    assert page.count("Add at least one funding category.") == 1
    assert 'disabled aria-describedby="blocked-open configuration-problems"' in page
    assert 'href="#configuration-problems">what is missing</a>' in page


def test_applicants_do_not_see_configuration_problems(client, applicant_user):
    round_ = RoundFactory(status=Round.Status.OPEN)
    client.force_login(applicant_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Cannot open yet" not in page
    assert "Status and next steps" not in page
