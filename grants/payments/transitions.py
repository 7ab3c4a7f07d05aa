"""The life of a payment, an expenditure report and a budget revision, declared to the workflow engine; and the
conditions payments put on closing an award.

A payment is scheduled, released by staff when its condition is met, approved a second time by an administrator
when it is large, then paid; or cancelled. Nothing is released, approved or paid while the award is on hold or not
active (the guard here, the services and the database).
"""

from ccpt.lib.money import format_money
from grants import workflow
from grants.awards.models import Award
from grants.awards.services.awards import add_amendment_check
from grants.workflow import Transition

from .models import BudgetRevision, ExpenditureReport, Payment
from .services import closeout
from .services.payments import amendment_problems, needs_second_approval, payable_problems
from .services.settings import settings_for

P = Payment.Status
E = ExpenditureReport.Status
B = BudgetRevision.Status


def _approved_if_needed(payment: Payment) -> list[str]:
    problems = payable_problems(payment)
    if payment.status == P.RELEASED and needs_second_approval(payment):
        limit = settings_for(payment.award.round.program).second_approval_above
        problems.append(
            f"A payment of more than {format_money(limit)} needs an administrator's second approval before it is paid."
        )
    return problems


workflow.declare(
    Payment,
    [
        Transition(
            P.SCHEDULED, P.RELEASED, "Release the payment", rule="payments.manage_payments", guard=payable_problems
        ),
        Transition(
            P.RELEASED,
            P.APPROVED,
            "Approve the payment (second approval)",
            rule="payments.approve_payment",
            guard=payable_problems,
        ),
        Transition(
            (P.RELEASED, P.APPROVED),
            P.PAID,
            "Record the payment as paid",
            rule="payments.manage_payments",
            guard=_approved_if_needed,
        ),
        Transition(
            (P.SCHEDULED, P.RELEASED, P.APPROVED),
            P.CANCELLED,
            "Cancel the payment",
            rule="payments.manage_payments",
            needs_reason=True,
        ),
    ],
)

workflow.declare(
    ExpenditureReport,
    [
        Transition((E.DRAFT, E.RETURNED), E.SUBMITTED, "Submit the report", rule="payments.file_reports"),
        Transition(E.SUBMITTED, E.ACCEPTED, "Accept the report", rule="payments.decide_reports"),
        Transition(E.SUBMITTED, E.RETURNED, "Return for changes", rule="payments.decide_reports", needs_reason=True),
    ],
)

workflow.declare(
    BudgetRevision,
    [
        Transition(B.PENDING, B.APPROVED, "Approve the revision", rule="payments.decide_reports"),
        Transition(B.PENDING, B.DECLINED, "Decline the revision", rule="payments.decide_reports", needs_reason=True),
    ],
)

# Closing an award is its closeout: the final reports accepted, its payments settled, unspent money recovered.
workflow.add_guard(Award, Award.Status.ACTIVE, Award.Status.CLOSED, closeout.closing_problems)
# An amendment never leaves the award below what was released or paid (the database checks it too: migration 0003).
add_amendment_check(amendment_problems)
