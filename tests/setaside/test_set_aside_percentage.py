"""The set-aside percentage: at most 1% (EC 53015(e)), and never a reserve smaller than what was already drawn."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.programs.models import Program
from grants.programs.services import save_program
from grants.setaside.services import balance, draw_set_aside

from ..factories import ConsortiumFactory, ProgramFactory, UserFactory
from ..helpers import race
from ..programs.test_program_pages import _data, _saved_rows

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def program(db):
    return ProgramFactory()  # $500M appropriated, 1%: a $5M reserve


def _drawn(program, amount, staff):
    draw_set_aside(program=program, kind="planning_grant", amount=amount, by=staff, consortium=ConsortiumFactory())


def _edit(client, program, **changes):
    return client.post(reverse("programs:program-edit", args=[program.pk]), _data(rows=_saved_rows(program), **changes))


@pytest.mark.parametrize("percent", ["1.01", "2", "100"])
def test_more_than_one_percent_is_refused_next_to_the_field(client, admin_user, program, percent):
    client.force_login(admin_user)
    response = _edit(client, program, set_aside_percent=percent)
    assert response.context["form"].errors["set_aside_percent"] == [
        "EC 53015(e) allows a set-aside of at most 1 percent; enter a percentage from 0 to 1."
    ]
    assert Program.objects.get(pk=program.pk).set_aside_percent == D("1.00")


def test_the_model_itself_caps_the_percentage(program):
    program.set_aside_percent = D("1.50")
    with pytest.raises(ValidationError) as invalid:
        program.full_clean()
    assert "set_aside_percent" in invalid.value.message_dict


def test_lowering_the_percentage_below_what_was_drawn_is_refused_with_the_figures(
    client, admin_user, staff_user, program
):
    _drawn(program, D("3000000.00"), staff_user)
    client.force_login(admin_user)

    response = _edit(client, program, set_aside_percent="0.5")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nothing was saved: the set-aside would be $2,500,000.00 (0.5% of $500,000,000.00), less than the "
        "$3,000,000.00 already drawn from it. Keep the percentage or the appropriations high enough to cover what "
        "was drawn."
    ]
    assert Program.objects.get(pk=program.pk).set_aside_percent == D("1.00")


def test_lowering_the_percentage_to_what_was_drawn_is_saved(client, admin_user, staff_user, program):
    _drawn(program, D("3000000.00"), staff_user)
    client.force_login(admin_user)

    response = _edit(client, program, set_aside_percent="0.6")

    assert response.status_code == 302
    figures = balance(Program.objects.get(pk=program.pk))
    assert (figures.reserved, figures.drawn, figures.left) == (D("3000000.00"), D("3000000.00"), D("0.00"))


def test_appropriations_cut_below_what_the_set_aside_already_drew_are_refused(admin_user, staff_user, program):
    _drawn(program, D("4000000.00"), staff_user)
    first, second = list(program.appropriations.all())
    with pytest.raises(Refusal, match=r"less than the \$4,000,000.00 already drawn"):
        save_program(program=program, changed=[], deleted=[second], by=admin_user)
    assert program.appropriations.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_draw_and_a_lower_percentage_at_once_never_leave_more_drawn_than_reserved():
    """$3M is drawn while the percentage goes from 1% to 0.5% ($2.5M): whichever runs second is refused."""
    program = ProgramFactory()
    staff, admin = UserFactory(role="Program staff"), UserFactory(role="Administrators")
    consortium = ConsortiumFactory()

    def draw():
        try:
            draw_set_aside(program=program, kind="planning_grant", amount=D("3000000"), by=staff, consortium=consortium)
            return "drawn"
        except Refusal as refusal:
            return f"draw refused: {refusal.message}"

    def lower():
        try:
            changed = Program.objects.get(pk=program.pk)
            changed.set_aside_percent = D("0.50")
            save_program(program=changed, changed=[], deleted=[], by=admin)
            return "lowered"
        except Refusal as refusal:
            return f"lowering refused: {refusal.message}"

    outcomes = race(draw, lower, timeout=30)

    assert len(outcomes) == 2 and sum(o in ("drawn", "lowered") for o in outcomes) == 1, outcomes
    figures = balance(Program.objects.get(pk=program.pk))
    assert figures.drawn <= figures.reserved
