"""The consortium's lead contact accepts or declines an offered award."""

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants.awards.services.approval import committed_in_round
from grants.awards.services.awards import respond
from grants.models import StatusChange
from tests.factories import AwardFactory, ContactFactory


@pytest.fixture
def award(db):
    return AwardFactory()


@pytest.fixture
def lead(award):
    return ContactFactory(consortium=award.consortium, role=Contact.Role.LEAD).user


def answer(client, award, **data):
    return client.post(reverse("awards:award-respond", args=[award.pk]), data, follow=True)


def test_the_lead_contact_accepts_and_staff_see_who_and_when(client, award, lead, staff_user):
    client.force_login(lead)
    response = answer(client, award, decision="accept")
    assert f"You accepted award {award.number}." in response.content.decode()
    award.refresh_from_db()
    assert award.status == "accepted" and award.responded_by == lead and award.responded_at is not None
    change = StatusChange.objects.get(object_id=award.pk, to_status="accepted")
    assert change.from_status == "offered" and change.by == lead
    client.force_login(staff_user)
    detail = client.get(reverse("awards:award", args=[award.pk])).content.decode()
    assert f"Accepted by {lead}" in detail
    listing = client.get(reverse("awards:round-awards", args=[award.round.pk])).content.decode()
    assert ">Accepted</span>" in listing


def test_declining_needs_a_reason_and_frees_the_money(client, award, lead):
    client.force_login(lead)
    assert committed_in_round(award.round) == award.amount
    response = answer(client, award, decision="decline", reason="")
    assert "Tell the program staff why you decline the award" in response.content.decode()
    award.refresh_from_db()
    assert award.status == "offered"
    answer(client, award, decision="decline", reason="Our board could not commit the sustainability funds.")
    award.refresh_from_db()
    assert award.status == "declined" and award.responded_by == lead
    assert StatusChange.objects.get(object_id=award.pk, to_status="declined").reason.startswith("Our board")
    assert committed_in_round(award.round) == 0


def test_a_partner_contact_cannot_answer(client, award):
    partner = ContactFactory(consortium=award.consortium, role=Contact.Role.PARTNER).user
    client.force_login(partner)
    assert client.post(reverse("awards:award-respond", args=[award.pk]), {"decision": "accept"}).status_code == 403
    award.refresh_from_db()
    assert award.status == "offered" and award.responded_by is None


def test_program_staff_cannot_answer_for_the_consortium(client, award, staff_user):
    client.force_login(staff_user)
    assert client.post(reverse("awards:award-respond", args=[award.pk]), {"decision": "accept"}).status_code == 403


def test_an_answer_is_given_only_while_the_award_is_offered(client, award, lead):
    client.force_login(lead)
    answer(client, award, decision="accept")
    response = answer(client, award, decision="decline", reason="Changed our mind.")  # a second tab
    assert "This award is already accepted; nothing was changed." in response.content.decode()
    award.refresh_from_db()
    assert award.status == "accepted"
    assert StatusChange.objects.filter(object_id=award.pk).count() == 1
    with pytest.raises(Refusal, match="already accepted"):
        respond(award=award, by=lead, accept=False, reason="Again.")


def test_the_answer_form_is_shown_only_to_the_lead_while_offered(client, award, lead):
    url = reverse("awards:award", args=[award.pk])
    client.force_login(lead)
    assert "Accept or decline this award" in client.get(url).content.decode()
    answer(client, award, decision="accept")
    assert "Accept or decline this award" not in client.get(url).content.decode()
