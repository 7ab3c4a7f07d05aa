"""A program's page and its edit form: appropriations, the set-aside, and what is left for rounds."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.programs.models import Appropriation, Program
from grants.programs.services import program_funds, save_program

from ..factories import ProgramFactory, RoundFactory
from ..helpers import formset_data

pytestmark = pytest.mark.django_db


def _data(program=None, rows=(), **changes):
    """The edit form as posted: program fields, then appropriation rows (saved rows carry their id)."""
    data = {
        "name": "California Career Pathways Trust",
        "legal_basis": "Education Code sections 53010-53016.",
        "administering_agency": "California Department of Education",
        "threesixtygiving_prefix": "360G-CDE-CCPT",
        "set_aside_percent": "1",
        "set_aside_funds_planning_grants": "on",
        "set_aside_funds_technical_assistance": "on",
        **formset_data("appropriations", rows),
    }
    data.update(changes)
    return data


def _saved_rows(program):
    return [
        {"id": a.pk, "source": a.source, "fiscal_years": a.fiscal_years, "amount": str(a.amount)}
        for a in program.appropriations.all()
    ]


def test_the_program_page_shows_appropriations_set_aside_and_unallocated_funds(client, applicant_user):
    program = ProgramFactory()
    RoundFactory(program=program, name="Round 1", funds_available=Decimal("249750000.00"), status="open")
    client.force_login(applicant_user)
    html = " ".join(client.get(reverse("programs:program", args=[program.pk])).content.decode().split())
    for text in [
        "AB 86 (2013)</th><td>2013-14</td>",
        "SB 858 (2014)</th><td>2014-15</td>",
        'Total appropriated</th><td class="text-end">$500,000,000.00',
        "1% of all appropriations, <strong>$5,000,000.00</strong>, is reserved.",
        "Planning grants: <strong>yes</strong>",
        "A technical-assistance contract: <strong>yes</strong>",
        "Round 1</a>",
        'Appropriated after the set-aside</th><td class="text-end">$495,000,000.00',
        'Still unallocated to rounds</th><td class="text-end"><strong>$245,250,000.00',
    ]:
        assert text in html, text
    assert "Edit program and appropriations" not in html


def test_program_funds_add_up(db):
    program = ProgramFactory(set_aside_percent=Decimal("0.75"))
    RoundFactory(program=program, funds_available=Decimal("100.00"))
    funds = program_funds(program)
    assert funds.total_appropriated == Decimal("500000000.00")
    assert funds.set_aside_amount == Decimal("3750000.00")
    assert funds.available_for_rounds == Decimal("496250000.00")
    assert funds.allocated_to_rounds == Decimal("100.00")
    assert funds.unallocated == Decimal("496249900.00")
    assert funds.over_allocated == Decimal("0.00")


def test_an_administrator_edits_the_program_and_its_appropriations(client, admin_user):
    program = ProgramFactory()
    first, second = _saved_rows(program)
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:program-edit", args=[program.pk]),
        _data(
            rows=[
                {**first, "amount": "$249,750,000.00"},
                {**second, "DELETE": "on"},
                {"source": "Budget Act of 2015", "fiscal_years": "2015-16", "amount": "4,500,000", "description": ""},
            ],
            set_aside_percent="0.5",
            set_aside_funds_technical_assistance="",
        ),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.set_aside_percent == Decimal("0.50")
    assert program.set_aside_funds_technical_assistance is False
    assert list(program.appropriations.values_list("source", "amount")) == [
        ("AB 86 (2013)", Decimal("249750000.00")),
        ("Budget Act of 2015", Decimal("4500000.00")),
    ]
    assert program.history.first().history_user == admin_user


def test_an_administrator_creates_a_program(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:program-create"),
        _data(
            rows=[{"source": "AB 86 (2013)", "fiscal_years": "2013-14", "amount": "250000000"}],
            name="Career Technical Education Incentive Grant",
        ),
    )
    program = Program.objects.get(name="Career Technical Education Incentive Grant")
    assert response.status_code == 302
    assert response.url == reverse("programs:program", args=[program.pk])
    assert program.total_appropriated == Decimal("250000000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount more than $0."),
        ("-10", "Enter an amount more than $0."),
        ("two million", "Enter an amount in dollars, such as 12500 or 12,500.00."),
        ("", "This field is required."),
    ],
)
def test_appropriation_amounts_must_be_more_than_zero(client, admin_user, amount, message):
    program = ProgramFactory()
    first, second = _saved_rows(program)
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:program-edit", args=[program.pk]), _data(rows=[{**first, "amount": amount}, second])
    )
    assert response.status_code == 200
    assert [f.errors for f in response.context["appropriations"]] == [{"amount": [message]}, {}]
    assert f'value="{amount}"' in response.content.decode() or amount == ""
    assert program.appropriations.get(pk=first["id"]).amount == Decimal("250000000.00")


def test_bad_program_fields_are_reported_next_to_them(client, admin_user):
    program = ProgramFactory()
    ProgramFactory(name="Another program")
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:program-edit", args=[program.pk]),
        _data(rows=_saved_rows(program), name="Another program", set_aside_percent="101"),
    )
    assert response.context["form"].errors == {
        "name": ["Program with this Name already exists."],
        "set_aside_percent": ["EC 53015(e) allows a set-aside of at most 1 percent; enter a percentage from 0 to 1."],
    }


def test_appropriations_cannot_fall_below_what_rounds_already_hold(client, admin_user):
    program = ProgramFactory()
    RoundFactory(program=program, funds_available=Decimal("300000000.00"))
    first, second = _saved_rows(program)
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:program-edit", args=[program.pk]), _data(rows=[first, {**second, "DELETE": "on"}])
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nothing was saved: the program's rounds hold $300,000,000.00, but the appropriations leave only "
        "$247,500,000.00 after the set-aside. Lower the rounds' funds first, or keep more appropriated."
    ]
    assert program.appropriations.count() == 2


def test_save_program_rolls_back_when_rounds_would_exceed_the_appropriations(admin_user):
    program = ProgramFactory()
    RoundFactory(program=program, funds_available=Decimal("495000000.00"))
    program.set_aside_percent = Decimal("2")
    with pytest.raises(Exception, match="Nothing was saved"):
        save_program(program=program, changed=[], deleted=[], by=admin_user)
    program.refresh_from_db()
    assert program.set_aside_percent == Decimal("1.00")
    assert Appropriation.objects.count() == 2
