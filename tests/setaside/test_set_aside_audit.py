"""Every draw on the set-aside is written to the audit trail: who, how much, to whom, and what is left."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from consortia.models import Organization
from grants.setaside.services import draw_set_aside
from tests.factories import ConsortiumFactory, OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_staff_drawing_a_planning_grant_is_recorded_with_the_balance_before_and_after(client, staff_user):
    program = ProgramFactory()  # a $5,000,000.00 reserve
    consortium = ConsortiumFactory(name="Linked Learning North")
    client.force_login(staff_user)

    client.post(
        reverse("setaside:ledger", args=[program.pk]),
        {"kind": "planning_grant", "consortium": consortium.pk, "amount": "$75,000.00"},
        REMOTE_ADDR="198.51.100.9",
    )

    [event] = Event.objects.filter(action=Event.Action.MONEY)
    assert (event.actor, event.ip_address, event.object_label) == (
        staff_user,
        "198.51.100.9",
        "Planning grant: $75,000.00",
    )
    assert event.summary == (
        "Drew $75,000.00 from the set-aside of California Career Pathways Trust for a planning grant to "
        "Linked Learning North: $5,000,000.00 → $4,925,000.00 left."
    )


def test_a_technical_assistance_contract_names_its_organization(staff_user):
    program = ProgramFactory()
    office = OrganizationFactory(name="Sacramento County Office of Education", kind=Organization.Kind.COUNTY_OFFICE)
    draw_set_aside(
        program=program, kind="planning_grant", amount=D("1000000"), by=staff_user, consortium=ConsortiumFactory()
    )

    draw_set_aside(program=program, kind="technical_assistance", amount=D("850000"), by=staff_user, organization=office)

    latest = Event.objects.filter(action=Event.Action.MONEY).first()  # newest first
    assert latest.summary.endswith(
        "for a technical-assistance contract to Sacramento County Office of Education: "
        "$4,000,000.00 → $3,150,000.00 left."
    )


def test_the_audit_link_of_a_draw_opens_the_programs_ledger(client, admin_user, staff_user):
    program = ProgramFactory()
    draw_set_aside(
        program=program, kind="planning_grant", amount=D("1000"), by=staff_user, consortium=ConsortiumFactory()
    )
    event = Event.objects.get(action=Event.Action.MONEY)
    client.force_login(admin_user)

    response = client.get(reverse("audit:object", args=[event.content_type_id, event.object_id]))

    assert response.url == reverse("setaside:ledger", args=[program.pk])


def test_a_refused_draw_records_nothing(staff_user):
    program = ProgramFactory()

    with pytest.raises(Refusal):
        draw_set_aside(
            program=program,
            kind="planning_grant",
            amount=D("5000000.01"),
            by=staff_user,
            consortium=ConsortiumFactory(),
        )

    assert not Event.objects.filter(action=Event.Action.MONEY).exists()
