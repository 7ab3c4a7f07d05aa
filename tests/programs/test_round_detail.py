"""A round's page: everything an applicant needs to know about its rules, and for staff what comes next."""

from datetime import datetime
from decimal import Decimal

import pytest

from ccpt.lib.dates import PACIFIC
from grants.programs.models import Round

from ..factories import (
    CompetitivePriorityFactory,
    CriterionFactory,
    FundingCategoryFactory,
    RequiredAttachmentFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    round_ = RoundFactory(
        name="Round 1 (2014): Implementation grants",
        status=Round.Status.OPEN,
        funds_available=Decimal("249750000.00"),
        loi_deadline=datetime(2014, 2, 14, 17, tzinfo=PACIFIC),
        opens_at=datetime(2014, 1, 21, 9, tzinfo=PACIFIC),
        closes_at=datetime(2014, 3, 28, 17, tzinfo=PACIFIC),
        grant_start_year=2014,
        grant_years=4,
        eligible_lead_kinds=["school_district", "community_college"],
        required_composition=["k12", "business"],
        match_percent=Decimal("25.00"),
        readers_per_application=3,
        discrepancy_threshold=Decimal("15.00"),
        minimum_fundable_score=Decimal("70.00"),
    )
    for position, (name, maximum, planned) in enumerate(
        [("$15 million", "15000000", 10), ("$6 million", "6000000", 15), ("$600,000", "600000", 15)]
    ):
        FundingCategoryFactory(
            round=round_, name=name, maximum_award=Decimal(maximum), planned_grants=planned, position=position
        )
    CriterionFactory(round=round_, name="Programs of study", max_points=25, weight=Decimal("2"), response_limit=8000)
    CriterionFactory(round=round_, name="Budget", max_points=10, weight=Decimal("1.5"), response_limit=3000)
    CompetitivePriorityFactory(round=round_, name="Above-average dropout rate", bonus_points=3)
    CompetitivePriorityFactory(round=round_, name="Rural region", use="tie_break", bonus_points=0)
    RequiredAttachmentFactory(round=round_, name="Budget workbook", description="The CDE template.")
    return round_


def test_applicants_see_every_rule_of_the_round(client, applicant_user, round_):
    client.force_login(applicant_user)
    html = " ".join(client.get(round_.get_absolute_url()).content.decode().split())
    for text in [
        "Round 1 (2014): Implementation grants",
        "Status: <span",
        "Open</span>",
        "Implementation",
        "$249,750,000.00",
        "February 14, 2014, 5:00 PM PST",
        "January 21, 2014, 9:00 AM PST",
        "March 28, 2014, 5:00 PM PDT",
        "4 fiscal years: 2014-15, 2015-16, 2016-17, 2017-18",
        # categories: maximum award, planned grants, planned total, and the sum against the funds
        '$15,000,000.00</td><td class="text-end">10</td><td class="text-end">$150,000,000.00',
        'Total planned</th><td class="text-end">$249,000,000.00',
        'Not planned by any category</th><td class="text-end">$750,000.00',
        # rubric: points, weight, weighted maximum, narrative limit, totals
        '<td class="text-end">25</td><td class="text-end">2</td> <td class="text-end">50</td>'
        '<td class="text-end">8,000</td>',
        '<td class="text-end">10</td><td class="text-end">1.50</td> <td class="text-end">15</td>',
        'Weighted total</th><td class="text-end">65</td>',
        'Minimum weighted total to be fundable</th><td class="text-end">70</td>',
        "Above-average dropout rate",
        "None (tie-break)",
        'Budget workbook: <span class="text-body-secondary">The CDE template.</span>',
        "<li>School district</li><li>Community college district</li>",
        "<li>At least one K-12 local educational agency</li><li>At least one business partner</li>",
        "25% of the amount requested",
        'Readers per application</dt><dd class="col-sm-8">3</dd>',
        "differing by more than 15 points",
    ]:
        assert text in html, text
    assert "History of status changes" not in html


def test_categories_planning_more_than_the_funds_show_by_how_much(client, applicant_user, round_):
    FundingCategoryFactory(round=round_, name="Extra", maximum_award=Decimal("1000000"), planned_grants=1)
    client.force_login(applicant_user)
    html = " ".join(client.get(round_.get_absolute_url()).content.decode().split())
    assert 'Over the funds available by</th><td class="text-end text-danger"><strong>$250,000.00' in html


def test_a_round_without_a_letter_of_intent_says_so(client, applicant_user):
    round_ = RoundFactory(status=Round.Status.OPEN, loi_deadline=None)
    client.force_login(applicant_user)
    assert "No letter of intent required" in client.get(round_.get_absolute_url()).content.decode()


def test_staff_see_the_status_changes_open_to_them_and_the_history(client, staff_user, round_):
    client.force_login(staff_user)
    html = client.get(round_.get_absolute_url()).content.decode()
    assert "Status and next steps" in html
    assert '<input type="hidden" name="target" value="closed">' in html
    assert "History of status changes" in html
    assert "No status changes recorded yet." in html
