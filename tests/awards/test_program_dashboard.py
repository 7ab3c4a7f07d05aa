from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Region
from grants.awards.models import Award, Instalment
from grants.awards.services.reports import dashboard, split_evenly
from grants.setaside.models import SetAsideEntry
from tests.factories import (
    ApplicationFactory,
    AwardFactory,
    ConsortiumFactory,
    FundingCategoryFactory,
    ProgramFactory,
    ProgramOfStudyFactory,
    RoundFactory,
    UserFactory,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory()  # $250M + $250M appropriated, 1% set-aside


def url(program):
    return reverse("awards:program-dashboard", args=[program.pk])


def award(round_, amount, *, region=None, category=None, sectors=(), status=Award.Status.OFFERED, requested=None):
    consortium = ConsortiumFactory(region=region or Region.objects.order_by("position").first())
    application = ApplicationFactory(
        round=round_,
        consortium=consortium,
        category=category or FundingCategoryFactory(round=round_),
        status="submitted",
        requested_amount=requested or amount,
    )
    for sector in sectors:
        ProgramOfStudyFactory(application=application, sector=sector)
    return AwardFactory(round=round_, application=application, amount=D(amount), status=status)


def test_it_shows_appropriations_the_set_aside_committed_and_remaining(client, staff_user, program):
    round_ = RoundFactory(program=program, funds_available=D("249750000.00"))
    award(round_, "14900000.00")
    award(round_, "527123.45")
    award(round_, "999.00", status=Award.Status.DECLINED)  # does not count
    SetAsideEntry.objects.create(
        program=program, kind="planning_grant", amount=D("1200000.00"), consortium=ConsortiumFactory(),
        recorded_by=staff_user,
    )  # fmt: skip
    client.force_login(staff_user)

    response = client.get(url(program))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total_appropriated == D("500000000.00")
    assert figures.set_aside_amount == D("5000000.00")
    assert figures.set_aside_drawn_total == D("1200000.00")
    assert figures.set_aside_balance == D("3800000.00")
    assert figures.committed == D("15427123.45")
    assert figures.awards == 2
    assert figures.remaining == D("495000000.00") - D("15427123.45")
    page = response.content.decode()
    for text in ("AB 86 (2013)", "SB 858 (2014)", "$500,000,000.00", "$5,000,000.00", "$3,800,000.00",
                 "$15,427,123.45", "$479,572,876.55", "Committed to 2 awards"):  # fmt: skip
        assert text in page


def test_it_breaks_committed_money_down_by_round_category_and_region(client, staff_user, program):
    first = RoundFactory(program=program, funds_available=D("1000000.00"))
    second = RoundFactory(program=program, funds_available=D("2000000.00"))
    large = FundingCategoryFactory(round=first, name="Large")
    small = FundingCategoryFactory(round=first, name="Small")
    bay, valley = Region.objects.order_by("position")[:2]
    award(first, "600000.00", category=large, region=bay)
    award(first, "100000.00", category=small, region=valley)
    award(second, "250000.00", region=valley)
    award(second, "50000.00", region=valley, status=Award.Status.WITHDRAWN)
    client.force_login(staff_user)

    figures = client.get(url(program)).context["figures"]

    rounds = {row.round: row for row in figures.rounds}
    assert (rounds[first].committed, rounds[first].awards) == (D("700000.00"), 2)
    assert rounds[first].remaining == D("300000.00")
    assert (rounds[second].committed, rounds[second].awards) == (D("250000.00"), 1)
    categories = {row.label: row for row in figures.categories}
    assert (categories["Large"].committed, categories["Large"].awards) == (D("600000.00"), 1)
    assert (categories["Small"].committed, categories["Small"].awards) == (D("100000.00"), 1)
    regions = {row.label: row for row in figures.regions}
    assert (regions[bay.name].committed, regions[bay.name].awards) == (D("600000.00"), 1)
    assert (regions[valley.name].committed, regions[valley.name].awards) == (D("350000.00"), 2)
    assert len(figures.regions) == Region.objects.count()  # regions with nothing committed are listed too


def test_an_award_in_several_sectors_is_split_evenly_and_counted_once_in_each(program):
    round_ = RoundFactory(program=program)
    award(round_, "100.01", sectors=["health", "ict", "health"])
    award(round_, "300.00", sectors=["ict"])
    award(round_, "50.00")  # no program of study recorded

    sectors = {row.label: row for row in dashboard(program=program).sectors}

    health = sectors["Health Science and Medical Technology"]
    ict = sectors["Information and Communication Technologies"]
    assert (health.committed, health.awards) == (D("50.01"), 1)
    assert (ict.committed, ict.awards) == (D("350.00"), 2)
    assert (sectors["No program of study recorded"].committed, sectors["No program of study recorded"].awards) == (
        D("50.00"),
        1,
    )
    assert sum(row.committed for row in sectors.values()) == D("450.01")
    assert sectors["Manufacturing and Product Development"].committed == D("0.00")


def test_an_even_split_always_adds_up_to_the_amount():
    assert split_evenly(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert split_evenly(D("0.01"), 2) == [D("0.01"), D("0.00")]
    assert sum(split_evenly(D("14900000.00"), 7)) == D("14900000.00")


def test_it_compares_submitted_requests_with_the_funds_of_each_round(client, staff_user, program):
    round_ = RoundFactory(program=program, funds_available=D("1000000.00"))
    ApplicationFactory.create_batch(3, round=round_, status="submitted", requested_amount=D("900000.00"))
    ApplicationFactory(round=round_, status="draft", requested_amount=D("5000000.00"))
    ApplicationFactory(round=round_, status="withdrawn", requested_amount=D("5000000.00"))
    client.force_login(staff_user)

    response = client.get(url(program))

    row = response.context["figures"].rounds[0]
    assert (row.applications, row.requested, row.record) == (3, D("2700000.00"), None)
    assert row.demand_ratio == D("2.70")
    assert "$2,700,000.00" in response.content.decode()
    assert "2.70 times" in response.content.decode()


def test_round_1_without_applications_shows_the_public_record_labelled_as_such(client, staff_user, program):
    round_ = RoundFactory(program=program, code="r1", name="Round 1 (2014)", funds_available=D("249750000.00"))
    client.force_login(staff_user)

    response = client.get(url(program))

    row = response.context["figures"].rounds[0]
    assert row.record["applications"] == 123
    assert row.record["requested"] == D("709050488.00")
    assert row.demand_ratio == D("2.84")
    page = response.content.decode()
    assert "$709,050,488.00" in page
    assert "from the public record" in page
    assert "EdSource, 2014" in page

    ApplicationFactory(round=round_, status="submitted", requested_amount=D("1000.00"))
    row = client.get(url(program)).context["figures"].rounds[0]
    assert (row.record, row.applications, row.requested) == (None, 1, D("1000.00"))


def test_it_draws_bar_charts_of_committed_money_with_a_table_of_their_figures(client, staff_user, program):
    round_ = RoundFactory(program=program, name="Round of the chart")
    bay, valley = Region.objects.order_by("position")[:2]
    award(round_, "400.00", region=bay)
    award(round_, "100.00", region=valley)
    client.force_login(staff_user)

    response = client.get(url(program))

    page = response.content.decode()
    assert page.count('role="img"') == 3  # the program's money, by round, by region
    assert 'aria-labelledby="region-chart-title"' in page and 'aria-labelledby="round-chart-title"' in page
    assert "<caption>Committed by region: the figures of the chart</caption>" in page
    assert "<caption>Committed by round: the figures of the chart</caption>" in page
    widths = {bar.label: bar.width for bar in response.context["region_chart"].bars}
    assert widths[bay.name] == D("440.0")  # the largest fills the scale
    assert widths[valley.name] == D("110.0")
    assert 'width="440.0"' in page and 'width="110.0"' in page


@pytest.mark.parametrize("role", ["Program staff", "Administrators"])
def test_staff_and_administrators_may_see_it(client, program, role):
    client.force_login(UserFactory(role=role))
    assert client.get(url(program)).status_code == 200


@pytest.mark.parametrize("role", ["Applicants", "Readers"])
def test_applicants_and_readers_may_not(client, program, role):
    client.force_login(UserFactory(role=role))
    assert client.get(url(program)).status_code == 403


def test_it_asks_an_anonymous_visitor_to_sign_in(client, program):
    response = client.get(url(program))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_unknown_program_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("awards:program-dashboard", args=[999999])).status_code == 404


def _awards_in_every_breakdown(program, count):
    regions = list(Region.objects.order_by("position"))
    rounds = [RoundFactory(program=program) for _ in range(2)]
    categories = [FundingCategoryFactory(round=r) for r in rounds for _ in range(2)]
    for i in range(count):
        category = categories[i % len(categories)]
        award(
            category.round,
            f"{1000 + i}.00",
            category=category,
            region=regions[i % len(regions)],
            sectors=["health", "ict"][: 1 + i % 2],
        )
        ApplicationFactory(round=category.round, status="submitted")


def test_its_number_of_queries_does_not_grow_with_the_number_of_awards(client, staff_user, django_assert_num_queries):
    small, large = ProgramFactory(name="Small program"), ProgramFactory(name="Large program")
    _awards_in_every_breakdown(small, 5)
    _awards_in_every_breakdown(large, 40)
    client.force_login(staff_user)
    client.get(url(small))  # the session and user are loaded the same way each time

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(small)).status_code == 200
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(large))
    assert response.context["figures"].awards == 40


def test_it_leads_with_the_figures_that_matter_and_the_charts_before_any_table(client, staff_user, program):
    round_ = RoundFactory(program=program, funds_available=D("1000000.00"))
    award(round_, "600000.00")
    SetAsideEntry.objects.create(
        program=program, kind="planning_grant", amount=D("1000000.00"), consortium=ConsortiumFactory(),
        recorded_by=staff_user,
    )  # fmt: skip
    client.force_login(staff_user)

    page = client.get(url(program)).content.decode()

    glance = page[page.index('id="money-heading"') : page.index('id="charts-heading"')]
    for label, amount in [("Appropriated", "$500,000,000.00"), ("Committed", "$600,000.00"),
                          ("Remaining", "$494,400,000.00"), ("Set-aside balance", "$4,000,000.00")]:  # fmt: skip
        assert f'<dt>{label}</dt><dd class="key-figure">{amount}</dd>' in glance
    assert "Payments are not recorded here." in glance
    first_table, first_chart = page.index("<table"), page.index('role="img"')
    assert first_chart < first_table
    assert page.index('id="money-detail-heading"') > page.index('id="region-chart-title"')


def test_instalments_due_to_date_count_committed_awards_in_fiscal_years_begun(client, staff_user, program):
    round_ = RoundFactory(program=program)
    begun, declined = award(round_, "300000.00"), award(round_, "500000.00", status=Award.Status.DECLINED)
    Instalment.objects.filter(award__in=[begun, declined]).delete()  # the factory's equal instalments
    Instalment.objects.create(award=begun, fiscal_year="2013-14", amount=D("100000.00"))
    Instalment.objects.create(award=begun, fiscal_year="2099-00", amount=D("200000.00"))  # not begun
    Instalment.objects.create(award=declined, fiscal_year="2013-14", amount=D("500000.00"))  # not committed
    client.force_login(staff_user)

    response = client.get(url(program))

    assert response.context["figures"].instalments_due == D("100000.00")
    assert '<dt>Instalments due to date</dt><dd class="key-figure">$100,000.00</dd>' in response.content.decode()


def test_the_charts_write_amounts_as_every_page_does(client, staff_user, program):
    round_ = RoundFactory(program=program, funds_available=D("1000000.00"))
    award(round_, "527123.45")
    client.force_login(staff_user)

    page = client.get(url(program)).content.decode()

    # The round and region charts' bar labels: dollars and cents, as in the tables under them.
    assert page.count('fill="#212529">$527,123.45</text>') >= 2
    assert "$527,123</text>" not in page
