"""The set-aside ledger: the reserve, every draw, the balance, and never a cent beyond it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from consortia.models import Organization
from grants.setaside.models import SetAsideEntry
from grants.setaside.services import draw_set_aside
from tests.factories import ConsortiumFactory, OrganizationFactory, ProgramFactory

D = Decimal


@pytest.fixture
def program(db):
    """$500M appropriated; the 1% set-aside is $5,000,000.00."""
    return ProgramFactory()


@pytest.fixture
def district(db):
    return OrganizationFactory(name="Sacramento County Office of Education", kind=Organization.Kind.COUNTY_OFFICE)


def draw(client, program, **data):
    return client.post(reverse("setaside:ledger", args=[program.pk]), data, follow=True)


def test_the_ledger_shows_the_reserve_every_draw_and_the_balance(client, staff_user, program, district):
    consortium = ConsortiumFactory(name="Linked Learning North")
    draw_set_aside(program=program, kind="planning_grant", amount=D("150000"), by=staff_user, consortium=consortium)
    draw_set_aside(
        program=program, kind="technical_assistance", amount=D("850000"), by=staff_user, organization=district
    )
    client.force_login(staff_user)
    content = client.get(reverse("setaside:ledger", args=[program.pk])).content.decode()
    assert "$500,000,000.00" in content and "$5,000,000.00" in content
    assert "Linked Learning North (consortium)" in content
    assert "Sacramento County Office of Education (organization)" in content
    assert "$4,850,000.00" in content  # balance after the first draw
    assert "<strong>$4,000,000.00</strong>" in content  # the balance


def test_staff_record_a_planning_grant_to_a_consortium(client, staff_user, program):
    consortium = ConsortiumFactory()
    client.force_login(staff_user)
    response = draw(
        client, program, kind="planning_grant", consortium=consortium.pk, amount="$75,000.00", description="Year 1"
    )
    assert f"Recorded: planning grant of $75,000.00 to {consortium}." in response.content.decode()
    entry = SetAsideEntry.objects.get()
    assert (entry.consortium, entry.amount, entry.recorded_by) == (consortium, D("75000.00"), staff_user)


def test_exactly_the_balance_can_be_drawn_and_one_cent_more_cannot(client, staff_user, program, district):
    client.force_login(staff_user)
    draw_set_aside(
        program=program, kind="technical_assistance", amount=D("4000000"), by=staff_user, organization=district
    )
    response = draw(client, program, kind="technical_assistance", organization=district.pk, amount="1000000.01")
    assert "$1,000,000.01 is more than the $1,000,000.00 left in the set-aside." in response.content.decode()
    assert 'value="1000000.01"' in response.content.decode()
    assert SetAsideEntry.objects.count() == 1
    draw(client, program, kind="technical_assistance", organization=district.pk, amount="1000000.00")
    assert SetAsideEntry.objects.count() == 2
    with pytest.raises(Refusal, match=r"\$0.01 is more than the \$0.00 left"):
        draw_set_aside(
            program=program, kind="planning_grant", amount=D("0.01"), by=staff_user, consortium=ConsortiumFactory()
        )


def test_each_kind_needs_its_kind_of_recipient(client, staff_user, program, district):
    client.force_login(staff_user)
    content = draw(client, program, kind="planning_grant", organization=district.pk, amount="1000").content.decode()
    assert "Choose the consortium that receives the planning grant." in content
    assert "A planning grant goes to a consortium; leave this empty." in content
    content = draw(client, program, kind="technical_assistance", amount="1000").content.decode()
    assert "Choose the local educational agency that holds the contract." in content
    assert not SetAsideEntry.objects.exists()


def test_technical_assistance_goes_to_a_local_educational_agency_only(client, staff_user, program):
    business = OrganizationFactory(kind=Organization.Kind.BUSINESS)
    client.force_login(staff_user)
    response = draw(client, program, kind="technical_assistance", organization=business.pk, amount="1000")
    assert "Select a valid choice" in response.content.decode()
    assert not SetAsideEntry.objects.exists()


def test_a_kind_the_program_does_not_fund_is_not_offered(client, staff_user, program):
    program.set_aside_funds_planning_grants = False
    program.save()
    client.force_login(staff_user)
    assert 'value="planning_grant"' not in client.get(reverse("setaside:ledger", args=[program.pk])).content.decode()
    response = draw(client, program, kind="planning_grant", consortium=ConsortiumFactory().pk, amount="1000")
    assert "Select a valid choice" in response.content.decode()
    assert not SetAsideEntry.objects.exists()


def test_the_ledger_is_for_program_staff(client, applicant_user, program):
    client.force_login(applicant_user)
    assert client.get(reverse("setaside:ledger", args=[program.pk])).status_code == 403
    assert draw(client, program, kind="planning_grant", amount="1").status_code == 403
