"""Copying a round: a new draft with every setting and row, its dates a year later."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.programs.models import Round
from grants.programs.services import copy_round, one_year_later

from ..factories import CompetitivePriorityFactory, configured_round

pytestmark = pytest.mark.django_db
SETTINGS = [
    "program_id",
    "kind",
    "description",
    "funds_available",
    "grant_years",
    "eligible_lead_kinds",
    "required_composition",
    "match_percent",
    "readers_per_application",
    "discrepancy_threshold",
    "minimum_fundable_score",
]


@pytest.fixture
def decided_round():
    round_ = configured_round(
        status=Round.Status.DECIDED,
        kind=Round.Kind.CONSORTIUM_DEVELOPMENT,
        description="Senate Bill 858.",
        funds_available=Decimal("24500000.00"),
        loi_deadline=datetime(2014, 2, 14, 17, tzinfo=PACIFIC),
        opens_at=datetime(2014, 1, 21, 9, tzinfo=PACIFIC),
        closes_at=datetime(2014, 3, 28, 17, tzinfo=PACIFIC),
        grant_start_year=2014,
        grant_years=4,
        eligible_lead_kinds=["county_office", "school_district"],
        required_composition=["k12", "business"],
        match_percent=Decimal("25.00"),
        readers_per_application=4,
        discrepancy_threshold=Decimal("12.50"),
        minimum_fundable_score=Decimal("70.00"),
    )
    CompetitivePriorityFactory(round=round_, name="Tie-break: rural", use="tie_break", bonus_points=0, position=3)
    return round_


def _rows(round_):
    return {
        "categories": list(round_.categories.values_list("name", "maximum_award", "planned_grants", "position")),
        "criteria": list(
            round_.criteria.values_list("name", "description", "max_points", "weight", "response_limit", "position")
        ),
        "priorities": list(round_.priorities.values_list("name", "description", "use", "bonus_points", "position")),
        "attachments": list(round_.required_attachments.values_list("name", "description", "position")),
    }


def test_copy_round_copies_every_setting_and_row_into_a_new_draft(decided_round, admin_user):
    copy = copy_round(round_=decided_round, by=admin_user, name="Round 3", code="r3")
    copy.refresh_from_db()
    assert copy.pk != decided_round.pk
    assert (copy.name, copy.code, copy.status) == ("Round 3", "r3", Round.Status.DRAFT)
    assert copy.copied_from == decided_round
    for field in SETTINGS:
        assert getattr(copy, field) == getattr(decided_round, field), field
    assert _rows(copy) == _rows(decided_round)
    assert len(_rows(copy)["priorities"]) == 2
    assert _rows(decided_round)["categories"]  # the original keeps its rows
    assert decided_round.categories.count() == 1


def test_copy_round_moves_the_dates_and_grant_period_one_year_later(decided_round, admin_user):
    copy = copy_round(round_=decided_round, by=admin_user, name="Round 3", code="r3")
    copy.refresh_from_db()
    assert copy.loi_deadline == datetime(2015, 2, 14, 17, tzinfo=PACIFIC)
    assert copy.opens_at == datetime(2015, 1, 21, 9, tzinfo=PACIFIC)
    assert copy.closes_at == datetime(2015, 3, 28, 17, tzinfo=PACIFIC)
    assert copy.fiscal_years == ["2015-16", "2016-17", "2017-18", "2018-19"]
    assert copy.created_at > decided_round.created_at


def test_a_copy_keeps_the_pacific_wall_clock_time_across_daylight_saving():
    winter = datetime(2014, 3, 8, 17, tzinfo=PACIFIC)  # a Saturday in standard time; a year later it is daylight time
    assert one_year_later(winter).astimezone(PACIFIC).replace(tzinfo=None) == datetime(2015, 3, 8, 17)
    assert one_year_later(datetime(2016, 2, 29, 9, tzinfo=PACIFIC)).date().isoformat() == "2017-02-28"


def test_the_copy_is_recorded_with_who_made_it(decided_round, admin_user):
    copy = copy_round(round_=decided_round, by=admin_user, name="Round 3", code="r3")
    change = StatusChange.objects.get(object_id=copy.pk, content_type__model="round")
    assert (change.from_status, change.to_status, change.by) == ("", "draft", admin_user)
    assert change.reason == f"Copied from {decided_round.name} ({decided_round.code})."


def test_copy_round_refuses_a_code_already_taken(decided_round, admin_user):
    with pytest.raises(Refusal) as refused:
        copy_round(round_=decided_round, by=admin_user, name="Round 3", code=decided_round.code.upper())
    assert refused.value.errors == {
        "code": f"Another round already uses the code “{decided_round.code.upper()}”; choose another."
    }
    assert Round.objects.count() == 1


def test_administrators_copy_a_round_from_its_page(client, decided_round, admin_user):
    client.force_login(admin_user)
    url = reverse("programs:round-copy", args=[decided_round.pk])
    assert f'value="{decided_round.name} (copy)"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Round 3 (2015)", "code": "r3"})
    copy = Round.objects.get(code="r3")
    assert response.status_code == 302
    assert response.url == copy.get_absolute_url()
    assert copy.categories.count() == 1
    assert "a draft: check its dates" in client.get(response.url).content.decode()


def test_the_copy_page_reports_a_taken_code_and_name_next_to_the_fields(client, decided_round, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:round-copy", args=[decided_round.pk]),
        {"name": decided_round.name, "code": decided_round.code},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Another round already uses the code “{decided_round.code}”; choose another." in html
    assert f"This program already has a round named “{decided_round.name}”." in html
    assert f'value="{decided_round.code}"' in html
    assert Round.objects.count() == 1


def test_the_copy_page_refuses_a_code_that_is_not_a_slug(client, decided_round, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-copy", args=[decided_round.pk]), {"name": "R3", "code": "round 3!"})
    assert response.status_code == 200
    assert "letters, numbers, underscores or hyphens" in response.content.decode()
    assert Round.objects.count() == 1


@pytest.mark.parametrize("role", ["staff_user", "applicant_user", "reader_user"])
def test_only_administrators_copy_rounds(client, request, decided_round, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("programs:round-copy", args=[decided_round.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Round 3", "code": "r3"}).status_code == 403
    assert Round.objects.count() == 1
