"""Changes to a program's money settings (set-aside percentage, appropriations) are written to the audit trail."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.programs.models import Program
from grants.programs.services import save_program

from ..factories import ProgramFactory, RoundFactory
from .test_program_pages import _data, _saved_rows

pytestmark = pytest.mark.django_db


def _settings_changes():
    return list(Event.objects.filter(action=Event.Action.SETTING_CHANGE))


def test_editing_the_percentage_and_appropriations_records_old_and_new_values(client, admin_user):
    program = ProgramFactory()  # AB 86 (2013) and SB 858 (2014), $250M each; 1%
    first, second = _saved_rows(program)
    client.force_login(admin_user)

    response = client.post(
        reverse("programs:program-edit", args=[program.pk]),
        _data(
            rows=[
                {**first, "amount": "249,750,000"},
                {**second, "DELETE": "on"},
                {"source": "Budget Act of 2015", "fiscal_years": "2015-16", "amount": "4,500,000", "description": ""},
            ],
            set_aside_percent="0.5",
        ),
        REMOTE_ADDR="198.51.100.4",
    )

    assert response.status_code == 302
    [event] = _settings_changes()
    assert (event.actor, event.actor_label, event.object_label) == (admin_user, admin_user.email, program.name)
    assert event.ip_address == "198.51.100.4"
    assert event.summary.splitlines() == [
        "Set-aside percentage: 1% → 0.5%.",
        "Appropriations: $500,000,000.00 → $254,250,000.00.",
        "Appropriation AB 86 (2013): $250,000,000.00 → $249,750,000.00.",
        "Added appropriation Budget Act of 2015: $4,500,000.00.",
        "Removed appropriation SB 858 (2014): $250,000,000.00.",
        "Set-aside: $5,000,000.00 → $1,271,250.00.",
    ]


def test_a_renamed_appropriation_says_both_names(admin_user):
    program = ProgramFactory()
    appropriation = program.appropriations.get(source="AB 86 (2013)")
    appropriation.source = "Assembly Bill 86 (2013)"

    save_program(program=program, changed=[appropriation], deleted=[], by=admin_user)

    [event] = _settings_changes()
    assert event.summary == "\n".join(
        [
            "Appropriations: $500,000,000.00 → $500,000,000.00.",
            "Appropriation AB 86 (2013): $250,000,000.00 → Assembly Bill 86 (2013): $250,000,000.00.",
        ]
    )


def test_saving_without_a_money_change_records_nothing(client, admin_user):
    program = ProgramFactory()
    client.force_login(admin_user)

    response = client.post(
        reverse("programs:program-edit", args=[program.pk]),
        _data(rows=_saved_rows(program), legal_basis="Education Code sections 53010-53016, as amended."),
    )

    assert response.status_code == 302
    assert Program.objects.get(pk=program.pk).legal_basis.endswith("as amended.")
    assert _settings_changes() == []


def test_a_refused_change_records_nothing(admin_user):
    program = ProgramFactory()
    RoundFactory(program=program, funds_available=Decimal("495000000.00"))
    program.set_aside_percent = Decimal("0.5")
    second = program.appropriations.get(source="SB 858 (2014)")

    with pytest.raises(Refusal, match="the program's rounds hold"):
        save_program(program=program, changed=[], deleted=[second], by=admin_user)

    assert program.appropriations.count() == 2
    assert _settings_changes() == []


def test_a_new_program_records_its_first_appropriations_and_percentage(client, admin_user):
    client.force_login(admin_user)

    client.post(
        reverse("programs:program-create"),
        _data(
            rows=[{"source": "AB 86 (2013)", "fiscal_years": "2013-14", "amount": "250000000"}],
            name="Career Technical Education Incentive Grant",
        ),
    )

    [event] = _settings_changes()
    assert event.object_label == "Career Technical Education Incentive Grant"
    assert event.summary.splitlines() == [
        "Set-aside percentage: none → 1%.",
        "Appropriations: $0.00 → $250,000,000.00.",
        "Added appropriation AB 86 (2013): $250,000,000.00.",
        "Set-aside: $0.00 → $2,500,000.00.",
    ]
