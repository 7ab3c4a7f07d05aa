"""An appeal's life, declared to the workflow engine: filed, then upheld (with a remedy) or denied, with reasons."""

from grants import workflow
from grants.workflow import Transition

from .models import Appeal

S = Appeal.Status

workflow.declare(
    Appeal,
    [
        Transition(S.FILED, S.UPHELD, "Uphold the appeal", rule="appeals.decide_appeal", needs_reason=True),
        Transition(S.FILED, S.DENIED, "Deny the appeal", rule="appeals.decide_appeal", needs_reason=True),
    ],
)
