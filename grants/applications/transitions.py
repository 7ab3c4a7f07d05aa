"""The life of an application, declared to the workflow engine: draft, submitted, withdrawn."""

from grants import workflow
from grants.workflow import Transition

from .models import Application

A = Application.Status

workflow.declare(
    Application,
    [
        Transition(A.DRAFT, A.SUBMITTED, "Submit", rule="applications.submit_application", name="submit"),
        # Staff take a submission after the deadline; the consortium's lead agency staff cannot.
        Transition(
            A.DRAFT,
            A.SUBMITTED,
            "Accept a late submission",
            rule="applications.accept_late_submission",
            needs_reason=True,
            name="accept_late",
        ),
        Transition((A.DRAFT, A.SUBMITTED), A.WITHDRAWN, "Withdraw", rule="applications.withdraw_application"),
        Transition(
            A.SUBMITTED, A.DRAFT, "Reopen for changes", rule="applications.reopen_application", needs_reason=True
        ),
    ],
)
