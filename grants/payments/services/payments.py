"""An award's payments: made from its instalments, released when their condition is met, approved a second time
when large, paid; and the ledger of the award's money.

Every service that adds a payment, raises one or moves one along locks the award's row first
(`select_for_update`), so that two people acting at once on one award run one after the other and the second sees
what the first did; the sum of the award's non-cancelled payments is then checked against its amount. The database
checks it again (migrations/0002_payment_guards.py), so that code which skips these services cannot over-pay either.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import fiscal_year, format_date, pacific
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.awards.models import Award
from grants.reporting.models import ProgressReport

from ..models import AwardHold, Payment, Recovery
from .settings import settings_for

S = Payment.Status
A = Award.Status
# Payments are made from the schedule once the consortium accepted the award; released and paid once it is active.
SCHEDULABLE = (A.ACCEPTED, A.ACTIVE)


def today() -> date:
    """Today in California."""
    return pacific(timezone.now()).date()


def lock_award(award: Award) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related("round__program").get(pk=award.pk)


def open_hold(award: Award) -> AwardHold | None:
    return award.holds.filter(lifted_at__isnull=True).select_related("placed_by").first()


def committed(award: Award) -> Decimal:
    """What the award's non-cancelled payments add up to."""
    total = award.payments.exclude(status=S.CANCELLED).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def check_within_award(award: Award, *, adding: Decimal = ZERO, what: str = "This") -> None:
    """Refuse when the award's non-cancelled payments, with `adding`, would be more than its amount."""
    already = committed(award)
    if already + adding > award.amount:
        left = max(award.amount - already, ZERO)
        raise Refusal(
            f"{what} would bring the payments of award {award.number} to {format_money(already + adding)}, more than "
            f"its {format_money(award.amount)}: {format_money(left)} is left to schedule.",
            errors={"amount": f"At most {format_money(left)}: the payments may never add up to more than the award."},
        )


def payable_problems(payment: Payment) -> list[str]:
    """What stops releasing, approving or paying the payment now, in words (also the workflow's guard)."""
    award = payment.award
    problems = []
    if award.status != A.ACTIVE:
        problems.append(
            f"Award {award.number} is {workflow.label(award)}: payments are released and paid only while it is active."
        )
    hold = open_hold(award)
    if hold is not None:
        problems.append(
            f"Payments of award {award.number} are on hold since {format_date(hold.placed_at)}: {hold.reason} "
            "Lift the hold first."
        )
    return problems


def needs_second_approval(payment: Payment) -> bool:
    return payment.amount > settings_for(payment.award.round.program).second_approval_above


def condition_problem(payment: Payment) -> str:
    """Why the payment's condition is not met, in words; "" when it is met or it has none.

    The condition: the previous fiscal year's annual progress report accepted by staff. The first year's payment
    has none.
    """
    award = payment.award
    if payment.fiscal_year <= award.fiscal_years[0]:
        return ""
    previous = fiscal_year(int(payment.fiscal_year[:4]) - 1)
    report = ProgressReport.objects.filter(award=award, period=previous).only("status").first()
    if report is not None and report.status == ProgressReport.Status.ACCEPTED:
        return ""
    where = "has not been started" if report is None else f"is {report.get_status_display().lower()}"
    return (
        f"The {previous} annual progress report of award {award.number} {where}, not accepted: the "
        f"{payment.fiscal_year} payment is released once program staff accept it."
    )


def amendment_problems(award: Award, amount: Decimal, years: list[str]) -> list[str]:
    """What stops an amendment of the award (awards.services.awards.add_amendment_check): a payment released and
    not yet paid (it was released, and perhaps approved, for its amount: pay it or cancel it first), and money paid
    beyond the new amount or in a fiscal year the new period leaves out."""
    problems = [
        f"The {payment.fiscal_year} payment of {format_money(payment.amount)} is released and not yet paid: record it "
        "as paid, or cancel it, before amending the award."
        for payment in award.payments.filter(status__in=Payment.AWAITING_PAYMENT).order_by("fiscal_year", "pk")
    ]
    paid = list(award.payments.filter(status=S.PAID).values_list("fiscal_year", "amount"))
    paid_total = sum((part for _, part in paid), ZERO)
    if amount < paid_total:
        problems.append(f"{format_money(paid_total)} is already paid; the award cannot be less than that.")
    if outside := sorted({year for year, _ in paid} - set(years)):
        problems.append(f"A payment was made in {', '.join(outside)}: the grant period must still include it.")
    return problems


# ---- Making payments ---------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_payments(*, award: Award, by) -> list[Payment]:
    """Make the award's payments from its instalments; safe to run again (it runs whenever staff open the award's
    payments). A scheduled payment follows its instalment when an amendment changed it, and is cancelled when an
    amendment removed it; a released or paid payment never changes. Returns the payments made."""
    authorize(by, "payments.manage_payments", award)
    locked = lock_award(award)
    if locked.status not in SCHEDULABLE:
        return []
    instalments = {i.pk: i for i in locked.instalments.all()}
    payments = list(locked.payments.all())
    followed = {p.instalment_id for p in payments if p.instalment_id}
    scheduled = [p for p in payments if p.status == S.SCHEDULED]
    for payment in scheduled:
        if payment.instalment_id is None and not payment.note:
            reason = "An amendment of the award removed its instalment."
            workflow.transition(payment, S.CANCELLED, by=by, reason=reason)
    # Lower before raising: the database checks the total after each change.
    changed = [p for p in scheduled if p.instalment_id in instalments]
    for payment in sorted(changed, key=lambda p: instalments[p.instalment_id].amount - p.amount):
        new = instalments[payment.instalment_id].amount
        if new == payment.amount:
            continue
        if new <= ZERO:
            workflow.transition(payment, S.CANCELLED, by=by, reason="An amendment of the award left it at $0.")
            continue
        if new > payment.amount:
            check_within_award(locked, adding=new - payment.amount, what=f"Raising the {payment.fiscal_year} payment")
        summary = (
            f"Payment {payment.fiscal_year} of award {locked.number} follows its amended instalment: "
            f"{format_money(payment.amount)} → {format_money(new)}"
        )
        payment.amount = new
        payment._history_user = by
        payment.save(update_fields=["amount"])
        record(Event.Action.MONEY, by=by, obj=payment, summary=summary)
    made = []
    for instalment in sorted(instalments.values(), key=lambda i: i.fiscal_year):
        if instalment.pk in followed or instalment.amount <= ZERO:
            continue
        check_within_award(locked, adding=instalment.amount, what=f"The {instalment.fiscal_year} payment")
        payment = Payment(award=locked, instalment=instalment, fiscal_year=instalment.fiscal_year)
        payment.amount = instalment.amount
        payment._history_user = by
        payment.save()
        workflow.record_creation(payment, by=by, reason="From the award's payment schedule.")
        made.append(payment)
    return made


@transaction.atomic
def add_payment(
    *, award: Award, fiscal_year: str, amount: Decimal, reason: str, by, click: str | None = None
) -> Payment:
    """A payment outside the schedule (to replace a cancelled one, say), with staff's reason; never past the award."""
    authorize(by, "payments.manage_payments", award)
    reason = require_reason(reason, "Say why this payment is outside the schedule; it is kept in the record.")
    locked = lock_award(award)
    if click and (done := Payment.objects.filter(click_token=click).first()):
        raise AlreadyDone(
            f"This payment was already added: {done.fiscal_year}, {format_money(done.amount)}. The same form was sent "
            "twice; the payment was added once.",
            done=done,
        )
    if locked.status not in SCHEDULABLE:
        raise Refusal(f"Award {locked.number} is {workflow.label(locked)}: no payment can be added to it.")
    if fiscal_year not in locked.fiscal_years:
        message = f"Choose a fiscal year of the grant period, {locked.fiscal_years[0]} to {locked.fiscal_years[-1]}."
        raise Refusal(message, errors={"fiscal_year": message})
    if amount <= ZERO:
        raise Refusal("Enter an amount of more than $0.", errors={"amount": "Enter an amount of more than $0."})
    check_within_award(locked, adding=amount, what=f"A payment of {format_money(amount)}")
    payment = Payment(award=locked, fiscal_year=fiscal_year, amount=amount, note=reason, click_token=click or None)
    payment._history_user = by
    payment.save()
    workflow.record_creation(payment, by=by, reason=reason)
    return payment


# ---- Moving a payment along --------------------------------------------------------------------------------------


def _locked(payment: Payment) -> tuple[Award, Payment]:
    award = lock_award(payment.award)
    locked = Payment.objects.select_related("award__round__program", "released_by").get(pk=payment.pk)
    locked.award = award
    return award, locked


def _refuse_unless(locked: Payment, *statuses: str, doing: str) -> None:
    if locked.status not in statuses:
        raise Refusal(f"This payment is {workflow.label(locked)}: it cannot be {doing} now; nothing was changed.")


@transaction.atomic
def release_payment(*, payment: Payment, by, override_reason: str = "") -> Payment:
    """Staff release a scheduled payment once its condition is met, or, with a written reason, before."""
    authorize(by, "payments.manage_payments", payment)
    award, locked = _locked(payment)
    _refuse_unless(locked, S.SCHEDULED, doing="released")
    if problems := payable_problems(locked):
        raise Refusal(" ".join(problems), problems=problems)
    override = (override_reason or "").strip()
    unmet = condition_problem(locked)
    if unmet and not override:
        raise Refusal(
            f"{unmet} To release it before, give your reason for overriding the condition.",
            errors={"override_reason": f"{unmet} To release it before, give your reason for overriding it here."},
        )
    check_within_award(award, what="Releasing it")
    changes = {"released_by": by, "released_at": timezone.now(), "condition_override": override if unmet else ""}
    reason = f"Condition overridden: {override}" if unmet else ""
    workflow.transition(payment, S.RELEASED, by=by, reason=reason, changes=changes)
    return payment


@transaction.atomic
def approve_payment(*, payment: Payment, by) -> Payment:
    """An administrator's second approval of a payment above the program's threshold: never the person who released
    it (the database refuses it too)."""
    authorize(by, "payments.approve_payment", payment)
    award, locked = _locked(payment)
    _refuse_unless(locked, S.RELEASED, doing="approved")
    if locked.released_by_id == by.pk:
        raise Refusal(
            "You released this payment: another administrator must approve it. A payment this large takes two "
            "people, never the same one."
        )
    limit = settings_for(award.round.program).second_approval_above
    if locked.amount <= limit:
        raise Refusal(
            f"A payment of {format_money(locked.amount)} is not more than {format_money(limit)}: it needs no second "
            "approval. Record it as paid."
        )
    workflow.transition(payment, S.APPROVED, by=by, changes={"approved_by": by, "approved_at": timezone.now()})
    return payment


@transaction.atomic
def record_paid(*, payment: Payment, by, paid_on: date | None, reference: str) -> Payment:
    """Staff record that the State Controller paid it: the warrant or reference number and the day (not in the
    future). The instalment of the schedule is marked paid too."""
    authorize(by, "payments.manage_payments", payment)
    reference = " ".join((reference or "").split())
    errors = {}
    if not reference:
        errors["reference"] = "Enter the warrant or reference number of the payment."
    if paid_on is None:
        errors["paid_on"] = "Enter the date it was paid."
    elif paid_on > today():
        errors["paid_on"] = f"The date it was paid cannot be in the future: today is {format_date(today())}."
    elif payment.released_at and paid_on < pacific(payment.released_at).date():
        errors["paid_on"] = f"It was released on {format_date(payment.released_at)}: it cannot be paid before."
    if errors:
        raise Refusal(" ".join(errors.values()), errors=errors)
    award, locked = _locked(payment)
    _refuse_unless(locked, S.RELEASED, S.APPROVED, doing="paid")
    changes = {"paid_on": paid_on, "reference": reference, "paid_recorded_by": by}
    workflow.transition(payment, S.PAID, by=by, changes=changes)
    if locked.instalment_id:
        instalment = locked.instalment
        instalment.paid_on = paid_on
        instalment._history_user = by
        instalment.save(update_fields=["paid_on"])
    record(
        Event.Action.MONEY,
        by=by,
        obj=payment,
        summary=f"Paid {format_money(locked.amount)} to {award.consortium} for {locked.fiscal_year} of award "
        f"{award.number} on {format_date(paid_on)}, warrant or reference {reference}",
    )
    return payment


@transaction.atomic
def cancel_payment(*, payment: Payment, by, reason: str) -> Payment:
    authorize(by, "payments.manage_payments", payment)
    reason = require_reason(reason, "Say why the payment is cancelled; it is kept in the record.")
    _award, locked = _locked(payment)
    _refuse_unless(locked, S.SCHEDULED, S.RELEASED, S.APPROVED, doing="cancelled")
    workflow.transition(payment, S.CANCELLED, by=by, reason=reason)
    return payment


# ---- The ledger --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    awarded: Decimal  # the award's amount, amendments included
    scheduled: Decimal  # not yet released
    released: Decimal  # released (and approved when needed), not yet paid
    paid: Decimal
    recovered: Decimal
    on_hold: bool

    @property
    def unpaid(self) -> Decimal:
        """The award's money not paid: what is left to pay while the award is open."""
        return self.awarded - self.paid

    @property
    def held(self) -> Decimal:
        """While a hold is open, every payment not yet paid is held."""
        return self.scheduled + self.released if self.on_hold else ZERO

    @property
    def outside_payments(self) -> Decimal:
        """The award's money in no payment: cancelled, or not yet scheduled."""
        return self.awarded - self.scheduled - self.released - self.paid

    @property
    def net_paid(self) -> Decimal:
        return self.paid - self.recovered


def ledger(
    award: Award,
    payments: list[Payment] | None = None,
    *,
    recoveries: list[Recovery] | None = None,
    holds: list[AwardHold] | None = None,
) -> Ledger:
    """The award's ledger; a list of many awards passes each one's payments, recoveries and holds, read for all of
    them at once (the API's awards), so that a page of ledgers makes no query per award."""
    payments = list(award.payments.all()) if payments is None else payments

    def total(*statuses) -> Decimal:
        return sum((p.amount for p in payments if p.status in statuses), ZERO)

    if recoveries is None:
        recovered = Recovery.objects.filter(award=award).aggregate(total=Sum("amount"))["total"] or ZERO
    else:
        recovered = sum((recovery.amount for recovery in recoveries), ZERO)
    return Ledger(
        awarded=award.amount,
        scheduled=total(S.SCHEDULED),
        released=total(*Payment.AWAITING_PAYMENT),
        paid=total(S.PAID),
        recovered=recovered,
        on_hold=open_hold(award) is not None if holds is None else any(hold.is_open for hold in holds),
    )
