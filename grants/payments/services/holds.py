"""Stopping an award's payments (EC 53015): a hold, with a reason, until staff lift it, with a reason; and recording
funds recovered from the consortium."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import format_date
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.awards.models import Award

from ..models import AwardHold, Payment, Recovery
from .payments import lock_award, open_hold, today

A = Award.Status
HOLDABLE = (A.ACCEPTED, A.ACTIVE)
RECOVERABLE = (A.ACTIVE, A.CLOSED, A.RECOVERED)


@transaction.atomic
def place_hold(*, award: Award, by, reason: str) -> AwardHold:
    """Nothing of the award is released, approved or paid until the hold is lifted."""
    authorize(by, "payments.manage_payments", award)
    reason = require_reason(reason, "Say why the payments are held; the consortium reads it on its award's payments.")
    locked = lock_award(award)
    if locked.status not in HOLDABLE:
        raise Refusal(f"Award {locked.number} is {workflow.label(locked)}: it has no payments to hold.")
    if hold := open_hold(locked):
        raise Refusal(
            f"The payments of award {locked.number} are already on hold since {format_date(hold.placed_at)} "
            f"(by {hold.placed_by}): {hold.reason}"
        )
    hold = AwardHold.objects.create(award=locked, reason=reason, placed_by=by)
    record(Event.Action.MONEY, by=by, obj=locked, summary=f"Payments of award {locked.number} held: {reason}")
    return hold


@transaction.atomic
def lift_hold(*, award: Award, by, reason: str) -> AwardHold:
    authorize(by, "payments.manage_payments", award)
    reason = require_reason(reason, "Say why the hold is lifted; it is kept in the record.")
    locked = lock_award(award)
    hold = open_hold(locked)
    if hold is None:
        raise Refusal(f"The payments of award {locked.number} are not on hold; nothing was changed.")
    hold.lifted_by, hold.lifted_at, hold.lift_reason = by, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    record(
        Event.Action.MONEY, by=by, obj=locked, summary=f"Hold on the payments of award {locked.number} lifted: {reason}"
    )
    return hold


def recovered(award: Award) -> Decimal:
    return Recovery.objects.filter(award=award).aggregate(total=Sum("amount"))["total"] or ZERO


def paid(award: Award) -> Decimal:
    total = award.payments.filter(status=Payment.Status.PAID).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


@transaction.atomic
def record_recovery(
    *,
    award: Award,
    amount: Decimal,
    reason: str,
    received_on: date | None,
    by,
    click: str | None = None,
    at_closeout: bool = False,
) -> Recovery:
    """Money the consortium returns: never more than it was paid, less what was recovered already."""
    authorize(by, "payments.manage_payments", award)
    reason = require_reason(reason, "Say why the money is recovered; it is kept in the record.")
    locked = lock_award(award)
    if click and (done := Recovery.objects.filter(click_token=click).first()):
        raise AlreadyDone(
            f"This recovery was already recorded: {format_money(done.amount)} received on "
            f"{format_date(done.received_on)}. The same form was sent twice; it was recorded once.",
            done=done,
        )
    if locked.status not in RECOVERABLE:
        raise Refusal(f"Award {locked.number} is {workflow.label(locked)}: nothing was paid that could be recovered.")
    errors = {}
    if amount is None or amount <= ZERO:
        errors["amount"] = "Enter an amount of more than $0."
    if received_on is None:
        errors["received_on"] = "Enter the date the money was received."
    elif received_on > today():
        errors["received_on"] = f"The date it was received cannot be in the future: today is {format_date(today())}."
    if errors:
        raise Refusal(" ".join(errors.values()), errors=errors)
    left = paid(locked) - recovered(locked)
    if amount > left:
        message = (
            f"{format_money(amount)} is more than the {format_money(left)} paid to the consortium and not yet "
            "recovered."
        )
        raise Refusal(message, errors={"amount": message})
    recovery = Recovery.objects.create(
        award=locked,
        amount=amount,
        reason=reason,
        received_on=received_on,
        by=by,
        at_closeout=at_closeout,
        click_token=click or None,
    )
    record(
        Event.Action.MONEY,
        by=by,
        obj=locked,
        summary=f"Recovered {format_money(amount)} of award {locked.number} from {locked.consortium}, received on "
        f"{format_date(received_on)}: {reason}",
    )
    return recovery
