"""Staff move an award along after acceptance, or withdraw it, or record a recovery, always recorded."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from grants.awards.services.approval import committed_in_program
from grants.awards.services.awards import change_status
from grants.models import StatusChange
from grants.payments.models import ExpenditureReport
from grants.reporting.models import ProgressReport
from tests.factories import AwardFactory, ContactFactory


@pytest.fixture
def award(db):
    return AwardFactory(status="accepted")


def move(client, award, **data):
    return client.post(reverse("awards:award-status", args=[award.pk]), data, follow=True)


def _final_reports_accepted(award):
    """What closing an award needs when nothing of it was paid (grants/payments closes an award out)."""
    final = award.fiscal_years[-1]
    ProgressReport.objects.create(award=award, period=final, title=final, due_at=timezone.now(), status="accepted")
    ExpenditureReport.objects.create(award=award, fiscal_year=final, status="accepted")


def test_staff_start_then_close_a_grant(client, award, staff_user):
    client.force_login(staff_user)
    response = move(client, award, target="active")
    assert f"Award {award.number} is now active." in response.content.decode()
    _final_reports_accepted(award)
    move(client, award, target="closed", reason="Final report received.")
    award.refresh_from_db()
    assert award.status == "closed"
    changes = list(StatusChange.objects.filter(object_id=award.pk).values_list("from_status", "to_status", "reason"))
    assert changes == [("accepted", "active", ""), ("active", "closed", "Final report received.")]
    page = client.get(reverse("awards:award", args=[award.pk])).content.decode()
    assert "Final report received." in page


def test_withdrawing_needs_a_reason(client, award, staff_user):
    client.force_login(staff_user)
    response = move(client, award, target="withdrawn", reason="")
    assert "Give a reason to withdraw the award" in response.content.decode()
    award.refresh_from_db()
    assert award.status == "accepted"
    move(client, award, target="withdrawn", reason="The lead agency dissolved the consortium.")
    award.refresh_from_db()
    assert award.status == "withdrawn"
    assert committed_in_program(award.round.program) == 0


def test_a_recovery_is_recorded_with_its_reason(award, staff_user):
    change_status(award=award, target="active", by=staff_user)
    with pytest.raises(Refusal, match="Give a reason"):
        change_status(award=award, target="recovered", by=staff_user, reason=" ")
    change_status(award=award, target="recovered", by=staff_user, reason="Funds used to supplant district funding.")
    award.refresh_from_db()
    assert award.status == "recovered"
    assert StatusChange.objects.filter(object_id=award.pk, to_status="recovered", by=staff_user).exists()


def test_a_step_out_of_order_is_refused(client, staff_user):
    offered = AwardFactory()
    client.force_login(staff_user)
    response = move(client, offered, target="active")
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(Refusal, match="Cannot go from offered to active."):
        change_status(award=offered, target="active", by=staff_user)
    offered.refresh_from_db()
    assert offered.status == "offered"


def test_contacts_cannot_change_the_status(client, award):
    lead = ContactFactory(consortium=award.consortium).user
    client.force_login(lead)
    assert client.post(reverse("awards:award-status", args=[award.pk]), {"target": "active"}).status_code == 403
    award.refresh_from_db()
    assert award.status == "accepted"
