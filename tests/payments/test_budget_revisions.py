"""The consortium moves money between a year's budget categories: under the program's threshold the approved budget
changes at once; over it, program staff approve (the budget changes) or decline with a reason."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.applications.models import BudgetItem
from grants.models import StatusChange
from grants.payments.models import BudgetRevision, PaymentSettings
from grants.payments.services.revisions import decide_revision, request_revision

pytestmark = pytest.mark.django_db


def budget_of(award, year="2015-16"):
    return dict(
        BudgetItem.objects.filter(application=award.application, fiscal_year=year).values_list("object_code", "amount")
    )


def test_a_small_move_applies_at_once_and_is_recorded(award, budget, lead):
    # $2,000 from 1000 ($40,000: 5%) to 2000 ($20,000: 10%, not more than the default 10%)
    revision = request_revision(
        award=award,
        fiscal_year="2015-16",
        amounts={"1000": Decimal("38000"), "2000": Decimal("22000")},
        reason="A coordinator's hours moved to a classified aide.",
        by=lead,
    )

    assert revision.status == "applied"
    assert revision.largest_change_percent == Decimal("10.00")
    assert budget_of(award)["1000"] == Decimal("38000.00")
    assert budget_of(award)["2000"] == Decimal("22000.00")
    assert budget_of(award, "2014-15")["1000"] == Decimal("40000.00")  # other years untouched
    change = StatusChange.objects.get(object_id=revision.pk, content_type__model="budgetrevision")
    assert (change.to_status, change.by, change.reason) == (
        "applied",
        lead,
        "A coordinator's hours moved to a classified aide.",
    )


def test_a_large_move_waits_for_staff_then_changes_the_budget(client, award, budget, lead, staff_user):
    revision = request_revision(
        award=award,
        fiscal_year="2015-16",
        amounts={"4000": Decimal("5000"), "6000": Decimal("5000")},
        reason="Lab equipment instead of supplies.",
        by=lead,
    )
    assert revision.status == "pending"
    assert revision.largest_change_percent is None  # money into capital outlay, which had none
    assert budget_of(award)["4000"] == Decimal("10000.00")

    client.force_login(staff_user)
    client.post(reverse("payments:revision", args=[revision.pk]), {"decision": "accept", "comment": ""})

    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("approved", staff_user)
    assert (budget_of(award)["4000"], budget_of(award)["6000"]) == (Decimal("5000.00"), Decimal("5000.00"))
    # It becomes an amendment of the award, listed on the award's page.
    amendment = award.amendments.get()
    assert (amendment.old_amount, amendment.new_amount, amendment.by) == (award.amount, award.amount, staff_user)
    assert amendment.reason.startswith(
        "Budget revision of 2015-16 approved: 4000 Books and supplies $10,000.00 → $5,000.00; "
    )
    assert (
        "Budget revision of 2015-16 approved" in client.get(reverse("awards:award", args=[award.pk])).content.decode()
    )


def test_the_threshold_is_the_programs(award, budget, lead):
    PaymentSettings.objects.create(program=award.round.program, revision_threshold_percent=Decimal("2"))

    revision = request_revision(
        award=award,
        fiscal_year="2015-16",
        amounts={"1000": Decimal("39000"), "5000": Decimal("21000")},  # 2.5% and 5%
        reason="Small shift.",
        by=lead,
    )

    assert revision.status == "pending"
    assert budget_of(award)["1000"] == Decimal("40000.00")


def test_declining_needs_a_reason_and_leaves_the_budget(award, budget, lead, staff_user):
    revision = request_revision(
        award=award,
        fiscal_year="2015-16",
        amounts={"1000": Decimal("20000"), "5000": Decimal("40000")},
        reason="Contract out the instruction.",
        by=lead,
    )

    with pytest.raises(Refusal, match="Say why the revision is declined"):
        decide_revision(revision=revision, by=staff_user, approve=False)
    decide_revision(revision=revision, by=staff_user, approve=False, comment="Instruction stays with the district.")

    revision.refresh_from_db()
    assert (revision.status, revision.comment) == ("declined", "Instruction stays with the district.")
    assert budget_of(award)["1000"] == Decimal("40000.00")


def test_the_years_total_must_stay(award, budget, lead):
    with pytest.raises(Refusal, match=r"2015-16's total stays \$100,000.00, and these add up to \$105,000.00"):
        request_revision(award=award, fiscal_year="2015-16", amounts={"1000": Decimal("45000")}, reason="x", by=lead)
    assert not BudgetRevision.objects.exists()


def test_staff_cannot_ask_for_a_revision(client, award, budget, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("payments:revision-new", args=[award.pk, "2015-16"])).status_code == 403


def test_the_consortium_asks_from_the_page(client, award, budget, lead):
    client.force_login(lead)
    form = {"1000": "38,000", "2000": "22000", "3000": "10000", "4000": "10000", "5000": "20000", "6000": "0"}
    form |= {"7000": "0", "reason": "Aide hours."}

    page = client.post(reverse("payments:revision-new", args=[award.pk, "2015-16"]), form, follow=True)

    assert (
        "The 2015-16 budget is revised: every change is within the program&#x27;s threshold." in page.content.decode()
    )
    assert budget_of(award)["2000"] == Decimal("22000.00")
