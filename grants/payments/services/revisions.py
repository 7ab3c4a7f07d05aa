"""A consortium moves money between one fiscal year's budget categories (the year's total stays). A revision that
moves any category by more than the program's threshold, in percent of the category's approved amount, waits for
program staff's approval; a smaller one applies at once. Either way it is kept with its lines (each category before
and after) and written to the application's approved budget (BudgetItem) when it applies; see models.py for why it
is a record of its own. One that staff approve also becomes an amendment of the award (its amount and period the
same, its reason saying how the budget moved), listed with the award's other amendments.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from ccpt.lib.dates import format_date
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import BudgetItem
from grants.awards.models import Amendment, Award

from ..models import BudgetRevision, BudgetRevisionLine, ObjectCode
from .expenditures import approved_budget
from .payments import lock_award
from .settings import settings_for

B = BudgetRevision.Status
REVISABLE = (Award.Status.ACCEPTED, Award.Status.ACTIVE)


def change_percent(old: Decimal, new: Decimal) -> Decimal | None:
    """How much a category moves, in percent of its approved amount; None when money moves into an empty one."""
    if old == ZERO:
        return None if new != ZERO else ZERO
    return (abs(new - old) * 100 / old).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def request_revision(*, award: Award, fiscal_year: str, amounts: dict[str, Decimal], reason: str, by) -> BudgetRevision:
    """The lead agency's staff ask to move money between categories of one fiscal year."""
    authorize(by, "payments.file_reports", award)
    reason = require_reason(reason, "Say why the money moves; program staff read it.")
    locked = lock_award(award)
    if locked.status not in REVISABLE:
        raise Refusal(f"Award {locked.number} is {workflow.label(locked)}: its budget can no longer be revised.")
    if fiscal_year not in locked.fiscal_years:
        raise Refusal(f"{fiscal_year} is not a fiscal year of award {locked.number}'s grant period.")
    if pending := locked.budget_revisions.filter(fiscal_year=fiscal_year, status=B.PENDING).first():
        raise Refusal(
            f"A revision of {fiscal_year} asked for on {format_date(pending.requested_at)} waits for program staff's "
            "decision: ask again once it is decided."
        )
    if any(amount < ZERO for amount in amounts.values()):
        raise Refusal("A category's amount cannot be negative.")
    old = approved_budget(locked, fiscal_year)
    new = {code: amounts.get(code, old[code]) for code in ObjectCode.values}
    old_total, new_total = sum(old.values()), sum(new.values())
    if new_total != old_total:
        raise Refusal(
            f"A revision moves money between categories: {fiscal_year}'s total stays {format_money(old_total)}, "
            f"and these add up to {format_money(new_total)}. To change the award's amount, ask program staff "
            "for an amendment."
        )
    changed = [code for code in ObjectCode.values if new[code] != old[code]]
    if not changed:
        raise Refusal("Nothing was changed: every category is as approved.")
    threshold = settings_for(locked.round.program).revision_threshold_percent
    percents = [change_percent(old[code], new[code]) for code in changed]
    over = [p for p in percents if p is None or p > threshold]
    largest = None if None in percents else max(percents)
    revision = BudgetRevision.objects.create(
        award=locked,
        fiscal_year=fiscal_year,
        status=B.PENDING if over else B.APPLIED,
        reason=reason,
        largest_change_percent=largest,
        threshold_percent=threshold,
        requested_by=by,
    )
    BudgetRevisionLine.objects.bulk_create(
        BudgetRevisionLine(revision=revision, object_code=code, old_amount=old[code], new_amount=new[code])
        for code in changed
    )
    if not over:
        _apply(revision)
    workflow.record_creation(revision, by=by, reason=reason)
    return revision


def _apply(revision: BudgetRevision) -> None:
    application_id = revision.award.application_id
    for line in revision.lines.all():
        BudgetItem.objects.update_or_create(
            application_id=application_id,
            fiscal_year=revision.fiscal_year,
            object_code=line.object_code,
            defaults={"amount": line.new_amount},
        )


@transaction.atomic
def decide_revision(*, revision: BudgetRevision, by, approve: bool, comment: str = "") -> BudgetRevision:
    """Program staff approve a revision over the threshold (the budget changes) or decline it, saying why."""
    authorize(by, "payments.decide_reports", revision)
    comment = (comment or "").strip()
    locked_award = lock_award(revision.award)
    if approve:
        current = approved_budget(locked_award, revision.fiscal_year)
        if any(current[line.object_code] != line.old_amount for line in revision.lines.all()):
            raise Refusal(
                f"The {revision.fiscal_year} budget changed since this revision was asked for: decline it, and the "
                "consortium asks again from the budget as it is now."
            )
    else:
        comment = require_reason(comment, "Say why the revision is declined; the consortium reads it.")
    target = B.APPROVED if approve else B.DECLINED
    changes = {"decided_by": by, "decided_at": timezone.now(), "comment": comment}
    workflow.transition(revision, target, by=by, reason=comment, changes=changes)
    if approve:
        _apply(revision)
        _amend(revision, locked_award, by)
    return revision


def _amend(revision: BudgetRevision, award: Award, by) -> Amendment:
    """The approved revision as an amendment of the award, beside changes of its amount or period: the award's
    amount and period stay, its budget changed, and the reason says how."""
    moves = "; ".join(
        f"{ObjectCode(line.object_code).label} {format_money(line.old_amount)} → {format_money(line.new_amount)}"
        for line in revision.lines.all()
        if line.old_amount != line.new_amount
    )
    return Amendment.objects.create(
        award=award,
        old_amount=award.amount,
        new_amount=award.amount,
        old_start_year=award.start_year,
        new_start_year=award.start_year,
        old_years=award.years,
        new_years=award.years,
        reason=f"Budget revision of {revision.fiscal_year} approved: {moves}. Asked for because: {revision.reason}",
        by=by,
    )
