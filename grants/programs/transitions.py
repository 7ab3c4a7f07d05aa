"""The life of a round, declared to the workflow engine: draft, open, closed, in review, decided, closed out."""

from django.utils import timezone

from grants import workflow
from grants.workflow import Transition

from .models import Round

R = Round.Status


def _ready_to_open(round_: Round) -> list[str]:
    return round_.configuration_problems()


def _opened_now(round_: Round) -> dict:
    return {"opened_at": timezone.now()}


def _back_to_draft(round_: Round) -> dict:
    return {"opened_at": None}


def _closed_now(round_: Round) -> dict:
    return {"closed_at": timezone.now()}


def _open_again(round_: Round) -> dict:
    return {"closed_at": None}


workflow.declare(
    Round,
    [
        Transition(
            R.DRAFT,
            R.OPEN,
            "Open for applications",
            rule="programs.open_round",
            guard=_ready_to_open,
            sets=_opened_now,
        ),
        Transition(
            R.OPEN, R.DRAFT, "Return to draft", rule="programs.reopen_round", needs_reason=True, sets=_back_to_draft
        ),
        Transition(R.OPEN, R.CLOSED, "Close applications", rule="programs.close_round", sets=_closed_now),
        Transition(
            R.CLOSED, R.OPEN, "Reopen applications", rule="programs.reopen_round", needs_reason=True, sets=_open_again
        ),
        Transition(R.CLOSED, R.IN_REVIEW, "Start review", rule="programs.start_review"),
        # Decisions are an approved funding plan, or a decision to make no awards, both on the plan's page.
        Transition(
            R.IN_REVIEW,
            R.DECIDED,
            "Record the decisions",
            rule="programs.decide_round",
            needs_reason=True,
            via="awards:plan",
            via_label="funding plan",
        ),
        Transition(R.DECIDED, R.IN_REVIEW, "Reopen the decisions", rule="programs.reopen_round", needs_reason=True),
        Transition(R.DECIDED, R.CLOSED_OUT, "Close out", rule="programs.close_out_round"),
    ],
)
