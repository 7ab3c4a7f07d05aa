"""A program's payment settings: the amount above which a payment needs a second approval, and the share of a
budget category a revision may move without staff's approval."""

from decimal import Decimal

from django.db import transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants.programs.models import Program

from ..models import PaymentSettings


def settings_for(program: Program) -> PaymentSettings:
    """The program's settings; the defaults (unsaved) while an administrator has not changed them."""
    found = PaymentSettings.objects.filter(program=program).first()
    return found if found is not None else PaymentSettings(program=program)


@transaction.atomic
def save_settings(
    *, program: Program, by, second_approval_above: Decimal, revision_threshold_percent: Decimal
) -> PaymentSettings:
    authorize(by, "payments.edit_settings", program)
    if second_approval_above < ZERO:
        raise Refusal(
            "Enter an amount of $0 or more.", errors={"second_approval_above": "Enter an amount of $0 or more."}
        )
    if not ZERO <= revision_threshold_percent <= Decimal("100"):
        message = "Enter a percentage from 0 to 100."
        raise Refusal(message, errors={"revision_threshold_percent": message})
    current, _ = PaymentSettings.objects.select_for_update().get_or_create(program=program)
    before = (current.second_approval_above, current.revision_threshold_percent)
    after = (second_approval_above, revision_threshold_percent)
    if before == after:
        raise Refusal("Nothing was changed: both settings are as they were.")
    current.second_approval_above, current.revision_threshold_percent = after
    current.updated_by = by
    current._history_user = by
    current.save()
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=current,
        summary=f"Payment settings of {program}: second approval above {format_money(before[0])} → "
        f"{format_money(after[0])}; budget revision threshold {before[1].normalize():f}% → {after[1].normalize():f}%",
    )
    return current
