"""Administrators set a program's second-approval threshold and budget revision threshold; the change is recorded."""

from decimal import Decimal

import pytest
import rules
from django.urls import reverse

from ccpt.audit.models import Event
from grants import workflow
from grants.payments.models import BudgetRevision, ExpenditureReport, Payment, PaymentSettings
from grants.payments.services.settings import settings_for

pytestmark = pytest.mark.django_db


def test_a_program_without_settings_has_the_defaults(award):
    current = settings_for(award.round.program)

    assert (current.second_approval_above, current.revision_threshold_percent) == (
        Decimal("1000000.00"),
        Decimal("10.00"),
    )
    assert not PaymentSettings.objects.exists()


def test_an_administrator_changes_them_and_it_is_recorded(client, award, admin_user):
    client.force_login(admin_user)
    url = reverse("payments:settings", args=[award.round.program_id])

    client.post(url, {"second_approval_above": "$250,000", "revision_threshold_percent": "15"})

    current = PaymentSettings.objects.get(program=award.round.program)
    assert (current.second_approval_above, current.revision_threshold_percent, current.updated_by) == (
        Decimal("250000.00"),
        Decimal("15.00"),
        admin_user,
    )
    event = Event.objects.get(action="setting_change", object_id=current.pk)
    assert "$1,000,000.00 → $250,000.00" in event.summary and "threshold 10% → 15%" in event.summary


def test_a_percentage_over_100_is_refused_next_to_the_field(client, award, admin_user):
    client.force_login(admin_user)

    page = client.post(
        reverse("payments:settings", args=[award.round.program_id]),
        {"second_approval_above": "1000", "revision_threshold_percent": "150"},
    ).content.decode()

    assert "Enter a percentage from 0 to 100." in page
    assert not PaymentSettings.objects.exists()


@pytest.mark.parametrize("model", [Payment, ExpenditureReport, BudgetRevision])
def test_every_workflow_object_declares_its_transitions_with_rules_that_exist(model):
    transitions = workflow.transitions_for(model)
    assert transitions
    for step in transitions:
        assert rules.perm_exists(step.rule), step.rule
        assert set(step.sources) <= set(model.Status.values) and step.target in model.Status.values


def test_administrators_find_the_settings_from_an_awards_payments(client, award, admin_user, staff_user):
    settings_url = reverse("payments:settings", args=[award.round.program_id])
    client.force_login(admin_user)
    assert settings_url in client.get(reverse("payments:award", args=[award.pk])).content.decode()
    client.force_login(staff_user)
    assert settings_url not in client.get(reverse("payments:award", args=[award.pk])).content.decode()
