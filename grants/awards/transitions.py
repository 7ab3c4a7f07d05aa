"""The life of a funding plan and of an award, declared to the workflow engine; and the condition funding
decisions put on reopening a decided round.

A plan is a draft while staff shape it; staff submit it for approval with a note, and an administrator approves it
or returns it to staff with comments (a draft again, to change and submit again). A newer plan replaces a draft.
An award is offered, then accepted or declined by the consortium; staff start it (payments may begin), close it,
withdraw it or record a recovery of its funds.
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


def _round_in_review(plan: FundingPlan) -> list[str]:
    if plan.round.status == Round.Status.IN_REVIEW:
        return []
    return [f"{plan.round} is {workflow.label(plan.round)}; plans are submitted while it is in review."]


workflow.declare(
    FundingPlan,
    [
        Transition(
            P.DRAFT,
            P.SUBMITTED,
            "Submit for approval",
            rule="awards.build_plan",
            needs_reason=True,
            guard=_round_in_review,
        ),
        Transition(P.SUBMITTED, P.APPROVED, "Approve the plan", rule="awards.approve_plan"),
        Transition(
            P.SUBMITTED, P.DRAFT, "Return to staff with comments", rule="awards.approve_plan", needs_reason=True
        ),
        # Deciding a round with no awards sets aside a submitted plan too.
        Transition((P.DRAFT, P.SUBMITTED), P.SUPERSEDED, "Replace with a newer plan", rule="awards.build_plan"),
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
