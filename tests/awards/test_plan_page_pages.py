"""The funding plan page shows each category's lines a page at a time, while its figures (funding line, funded,
total) and the swap form cover every line."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards.models import FundingPlan
from grants.awards.services import plan_lines
from grants.awards.services.allocation import build_plan
from grants.awards.services.approval import approve_plan
from tests.factories import FundingCategoryFactory, ranked_application, submit


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(plan_lines, "PAGE_SIZE", 3)


def _plan(round_, staff_user, *categories_and_counts):
    apps = {}
    for category, count in categories_and_counts:
        apps[category] = [ranked_application(round_, category, rank, "100000.00") for rank in range(1, count + 1)]
    plan = FundingPlan.objects.create(round=round_, created_by=staff_user)
    build_plan(plan=plan)
    return plan, apps


def _numbers_shown(html: str) -> list[str]:
    return re.findall(r'<tr id="line-\d+">.*?<a href="[^"]+">([^<]+)</a>', html, flags=re.S)


def test_a_category_shows_a_page_of_its_lines_in_rank_order(client, staff_user, round_, category, small_pages):
    plan, apps = _plan(round_, staff_user, (category, 7))
    client.force_login(staff_user)

    first = client.get(reverse("awards:plan", args=[round_.pk])).content.decode()
    last = client.get(reverse("awards:plan", args=[round_.pk]), {"category": category.pk, "page": 3}).content.decode()

    assert _numbers_shown(first) == [a.number for a in apps[category][:3]]
    assert "Applications 1–3 of 7 (page 1 of 3)" in first
    assert _numbers_shown(last) == [apps[category][6].number]
    assert "Applications 7–7 of 7 (page 3 of 3)" in last


def test_the_figures_of_a_category_count_every_line_not_only_the_page(
    client, staff_user, round_, category, small_pages
):
    # $1,000,000 in the round funds the first three at $100,000 each; Large plans three grants.
    plan, apps = _plan(round_, staff_user, (category, 5))
    client.force_login(staff_user)
    url = reverse("awards:plan", args=[round_.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"category": category.pk, "page": 2}).content.decode()

    assert "Funding line: rank 3</strong> is the last funded rank" in first
    assert "3 of 5 applications funded, $300,000.00 in total" in first
    assert "Funding line of Large: rank 3 is the last funded" in first
    assert "Funding line of Large" not in second  # the line is drawn on the page that holds rank 3
    assert "3 of 5 applications funded" in second


def test_paging_through_one_category_keeps_the_others_on_their_first_page(
    client, staff_user, round_, category, small_pages
):
    small = FundingCategoryFactory(round=round_, name="Small", maximum_award=Decimal("150000.00"), position=2)
    plan, apps = _plan(round_, staff_user, (category, 5), (small, 4))
    client.force_login(staff_user)

    html = client.get(reverse("awards:plan", args=[round_.pk]), {"category": small.pk, "page": 2}).content.decode()

    assert _numbers_shown(html) == [a.number for a in apps[category][:3]] + [apps[small][3].number]


def test_the_swap_form_offers_applications_beyond_the_page(client, staff_user, round_, category, small_pages):
    plan, apps = _plan(round_, staff_user, (category, 6))
    client.force_login(staff_user)

    html = client.get(reverse("awards:plan", args=[round_.pk])).content.decode()

    include = html[html.index('name="include"') : html.index("</select>", html.index('name="include"'))]
    assert apps[category][5].number in include  # rank 6: not on the first page, not funded
    assert apps[category][0].number not in include  # funded: offered to exclude instead


def _chart_labels(html: str) -> list[str]:
    chart = html[html.index('id="plan-chart-caption"') :]
    chart = chart[: chart.index("</svg>")]
    return re.findall(r'<text x="0" y="15"[^>]*>([^<]+)</text>', chart)


def test_the_plan_chart_sets_a_draft_against_the_rounds_money_then_says_its_lines_became_awards(
    client, staff_user, admin_user, round_, category
):
    plan, apps = _plan(round_, staff_user, (category, 2))
    client.force_login(staff_user)
    url = reverse("awards:plan", args=[round_.pk])

    draft = _chart_labels(client.get(url).content.decode())

    assert draft == [
        "Funds available to the round",
        "Committed by awards already made",
        "Committed by this plan if approved",
        f"{category.name}: recommended",
        "Left in the round",
    ]
    approve_plan(plan=submit(plan), by=admin_user)
    approved = client.get(url).content.decode()

    assert _chart_labels(approved) == [
        "Funds available to the round",
        "Committed by awards already made",
        f"{category.name}: approved in this plan",
        "Left in the round",
    ]
    assert "now awards, in the committed figure unless declined" in approved
