"""Creating a round and editing its own settings: Pacific times, checkbox lists, clear errors that keep input."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import PACIFIC
from grants.models import StatusChange
from grants.programs.forms.rounds import RoundForm
from grants.programs.models import Round

from ..factories import FundingCategoryFactory, ProgramFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _data(**changes):
    data = {
        "name": "Round 3: Implementation grants",
        "code": "r3",
        "kind": "implementation",
        "description": "",
        "funds_available": "$24,500,000.00",
        "loi_deadline": "2030-02-14T17:00",
        "opens_at": "2030-01-21T09:00",
        "closes_at": "2030-03-28T17:00",
        "grant_start_year": "2030",
        "grant_years": "4",
        "eligible_lead_kinds": ["school_district", "county_office"],
        "required_composition": ["k12", "business"],
        "match_percent": "25",
        "readers_per_application": "3",
        "discrepancy_threshold": "15",
    }
    data.update(changes)
    return data


def test_an_administrator_creates_a_draft_round_for_a_program(client, admin_user):
    program = ProgramFactory()
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-create", args=[program.pk]), _data())
    round_ = Round.objects.get(code="r3")
    assert response.status_code == 302
    assert response.url == round_.get_absolute_url()
    assert round_.program == program
    assert round_.status == Round.Status.DRAFT
    assert round_.funds_available == Decimal("24500000.00")
    assert round_.closes_at == datetime(2030, 3, 28, 17, tzinfo=PACIFIC)
    assert round_.opens_at == datetime(2030, 1, 21, 9, tzinfo=PACIFIC)
    assert round_.eligible_lead_kinds == ["school_district", "county_office"]
    assert round_.required_composition == ["k12", "business"]
    assert round_.fiscal_years == ["2030-31", "2031-32", "2032-33", "2033-34"]
    change = StatusChange.objects.get(object_id=round_.pk, content_type__model="round")
    assert (change.from_status, change.to_status, change.by) == ("", "draft", admin_user)


def test_times_are_read_as_pacific_even_when_another_time_zone_is_active(admin_user):
    program = ProgramFactory()
    with timezone.override(ZoneInfo("America/New_York")):
        form = RoundForm(_data(), instance=Round(program=program))
        assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_at"] == datetime(2030, 3, 29, 0, tzinfo=ZoneInfo("UTC"))


def test_times_are_shown_in_pacific_time_in_the_form_and_on_the_page(client, admin_user):
    round_ = RoundFactory(
        opens_at=datetime(2014, 1, 21, 9, tzinfo=PACIFIC),
        closes_at=datetime(2014, 3, 29, 0, tzinfo=ZoneInfo("UTC")),  # 5 p.m. Pacific on Mar 28
    )
    client.force_login(admin_user)
    assert 'value="2014-03-28T17:00"' in client.get(reverse("programs:round-edit", args=[round_.pk])).content.decode()
    assert "March 28, 2014, 5:00 PM PDT" in client.get(round_.get_absolute_url()).content.decode()


def test_the_form_labels_say_times_are_pacific_and_shows_the_fiscal_years(client, admin_user):
    round_ = RoundFactory(grant_start_year=2014, grant_years=4)
    client.force_login(admin_user)
    html = client.get(reverse("programs:round-edit", args=[round_.pk])).content.decode()
    assert "Applications close (Pacific time)" in html
    assert "Letter-of-intent deadline (Pacific time)" in html
    assert "Fiscal years of the grant: <strong>2014-15, 2015-16, 2016-17, 2017-18</strong>" in html


def test_the_fiscal_years_follow_what_was_typed_when_the_form_is_shown_again(client, admin_user):
    program = ProgramFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:round-create", args=[program.pk]), _data(grant_start_year="2031", grant_years="2", code="")
    )
    assert "Fiscal years of the grant: <strong>2031-32, 2032-33</strong>" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"closes_at": "2030-01-01T09:00", "loi_deadline": ""},
            "closes_at",
            "Applications must close after they open.",
        ),
        (
            {"loi_deadline": "2030-04-01T17:00"},
            "loi_deadline",
            "The letter-of-intent deadline must come before applications close.",
        ),
        ({"closes_at": "next Friday"}, "closes_at", "Enter a date and time, for example 2014-03-28 17:00."),
        ({"funds_available": "0"}, "funds_available", "Enter an amount more than $0."),
        ({"funds_available": "12,5OO"}, "funds_available", "Enter an amount in dollars, such as 12500 or 12,500.00."),
        ({"funds_available": "10.005"}, "funds_available", "at most two digits after the decimal point"),
        ({"eligible_lead_kinds": []}, "eligible_lead_kinds", "Choose at least one kind of organization"),
        ({"eligible_lead_kinds": ["business"]}, "eligible_lead_kinds", "Select a valid choice."),
        ({"grant_start_year": "1999"}, "grant_start_year", "Enter a year from 2000 to 2100."),
        ({"grant_years": "11"}, "grant_years", "A grant period lasts 1 to 10 fiscal years."),
        ({"readers_per_application": "0"}, "readers_per_application", "Each application needs 1 to 10 readers."),
        ({"discrepancy_threshold": "-1"}, "discrepancy_threshold", "The threshold cannot be negative."),
        ({"match_percent": "-5"}, "match_percent", "The percentage cannot be negative."),
        ({"code": "round three"}, "code", "letters, numbers, underscores or hyphens"),
    ],
)
def test_bad_settings_are_reported_next_to_the_field(client, admin_user, changes, field, message):
    program = ProgramFactory()
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-create", args=[program.pk]), _data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Round.objects.exists()


def test_what_was_typed_is_kept_when_the_form_is_refused(client, admin_user):
    program = ProgramFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:round-create", args=[program.pk]),
        _data(funds_available="12,5OO", description="Rural consortia only."),
    )
    html = response.content.decode()
    assert 'value="12,5OO"' in html
    assert "Rural consortia only.</textarea>" in html
    assert 'value="2030-03-28T17:00"' in html
    assert 'value="county_office"  id="id_eligible_lead_kinds_1" checked' in html


def test_a_code_taken_by_another_round_is_refused_whatever_its_case(client, admin_user):
    other = RoundFactory(code="r1")
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-create", args=[other.program.pk]), _data(code="R1"))
    assert response.context["form"].errors == {"code": ["Another round already uses the code “R1”; choose another."]}


def test_a_name_taken_in_the_same_program_is_refused(client, admin_user):
    other = RoundFactory(name="Round 3: Implementation grants")
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-create", args=[other.program.pk]), _data())
    assert response.context["form"].errors == {
        "name": ["This program already has a round named “Round 3: Implementation grants”."]
    }


def test_funds_cannot_drop_below_a_categorys_maximum_award(client, admin_user):
    round_ = RoundFactory(code="r3", name="Round 3: Implementation grants")
    FundingCategoryFactory(round=round_, name="$15 million", maximum_award=Decimal("15000000.00"))
    client.force_login(admin_user)
    response = client.post(reverse("programs:round-edit", args=[round_.pk]), _data(funds_available="10000000"))
    assert response.context["form"].errors == {
        "funds_available": [
            "The funding category “$15 million” has a maximum award of $15,000,000.00, more than $10,000,000.00. "
            "Lower that maximum first, or keep the funds."
        ]
    }
    round_.refresh_from_db()
    assert round_.funds_available == Decimal("10000000.00")  # the factory's amount, unchanged


def test_an_administrator_edits_a_draft_rounds_settings(client, admin_user):
    round_ = RoundFactory(code="r3")
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:round-edit", args=[round_.pk]), _data(loi_deadline="", required_composition=[])
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name == "Round 3: Implementation grants"
    assert round_.loi_deadline is None
    assert round_.required_composition == []
    assert round_.match_percent == Decimal("25.00")
    assert round_.history.first().history_user == admin_user


def test_a_new_round_suggests_next_years_grant_period_and_the_usual_readers(client, admin_user):
    program = ProgramFactory()
    client.force_login(admin_user)
    html = client.get(reverse("programs:round-create", args=[program.pk])).content.decode()
    year = timezone.localdate().year + 1
    assert f'name="grant_start_year" value="{year}"' in html
    assert f"Fiscal years of the grant: <strong>{year}-{(year + 1) % 100:02d}," in html
    assert 'name="readers_per_application" value="3"' in html
    assert 'value="school_district"  id="id_eligible_lead_kinds_0" checked' in html
