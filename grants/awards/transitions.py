"""The life of a funding plan and of an award, declared to the workflow engine; and the condition funding
decisions put on reopening a decided round.

A plan is a draft until an administrator approves it, or a newer plan replaces it. An award is offered, then
accepted or declined by the consortium; staff start it (payments may begin), close it, withdraw it or record a
recovery of its funds.
"""

from ccpt.lib.dates import format_date
from grants import workflow
from grants.programs.models import Round
from grants.workflow import Transition

from .models import Award, FundingPlan

P = FundingPlan.Status
S = Award.Status


def _no_approved_plan(round_: Round) -> list[str]:
    plan = round_.funding_plans.filter(status=P.APPROVED).first()
    if plan is None:
        return []
    return [
        f"{round_} was decided by the funding plan approved on {format_date(plan.approved_at)}; its awards stand. "
        "Change them one by one (amend or withdraw) instead."
    ]


workflow.declare(
    FundingPlan,
    [
        Transition(P.DRAFT, P.APPROVED, "Approve the plan", rule="awards.approve_plan"),
        Transition(P.DRAFT, P.SUPERSEDED, "Replace with a newer plan", rule="awards.build_plan"),
    ],
)

workflow.declare(
    Award,
    [
        Transition(S.OFFERED, S.ACCEPTED, "Accept the award", rule="awards.respond_to_award"),
        Transition(S.OFFERED, S.DECLINED, "Decline the award", rule="awards.respond_to_award", needs_reason=True),
        Transition(S.ACCEPTED, S.ACTIVE, "Start the grant: payments may begin", rule="awards.manage_award"),
        Transition(
            S.ACTIVE, S.CLOSED, "Close the grant: its work and payments are complete", rule="awards.manage_award"
        ),
        Transition(
            (S.OFFERED, S.ACCEPTED, S.ACTIVE),
            S.WITHDRAWN,
            "Withdraw the award",
            rule="awards.manage_award",
            needs_reason=True,
        ),
        Transition(
            (S.ACTIVE, S.CLOSED), S.RECOVERED, "Record recovery of funds", rule="awards.manage_award", needs_reason=True
        ),
    ],
)

workflow.add_guard(Round, Round.Status.DECIDED, Round.Status.IN_REVIEW, _no_approved_plan)
