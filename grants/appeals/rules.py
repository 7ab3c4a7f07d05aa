"""Who may do what with appeals: the one place these checks live.

The consortium's lead contact files an appeal and sees its own; program staff see every appeal of a round and
decide them, and when the round asks for an independent decider, only staff who took no part in the original
decision (`took_part`) may decide. Administrators edit a round's appeal settings. Readers, the consortium's other
contacts and other consortia see nothing.
"""

import rules

from consortia.rules import is_administrator, is_program_staff, not_administrator
from grants.applications.rules import is_application_lead
from grants.awards.models import FundingPlan, PlanLine
from grants.reviews.models import Assignment, Reconciliation


def took_part(user, application) -> list[str]:
    """How the person took part in the application's original decision, in words; empty when they did not.

    They took part when they had an assignment to read it that they did not decline for a conflict (a removed
    reader may have read it), recorded a reconciliation of its scores, or approved a funding plan of its round
    that decided it (an approved plan with a line for it)."""
    found = []
    assignments = Assignment.objects.filter(application=application, reader=user)
    if assignments.exclude(status=Assignment.Status.DECLINED).exists():
        found.append("you were one of its readers")
    if Reconciliation.objects.filter(application=application, by=user).exists():
        found.append("you reconciled its scores")
    approved = PlanLine.objects.filter(
        application=application, plan__status=FundingPlan.Status.APPROVED, plan__approved_by=user
    )
    if approved.exists():
        found.append("you approved the funding plan that decided it")
    return found


@rules.predicate
def is_filed(user, appeal):
    return appeal is not None and appeal.status == appeal.Status.FILED


@rules.predicate
def is_independent_where_required(user, appeal):
    if appeal is None:
        return False
    appeal_settings = getattr(appeal.application.round, "appeal_settings", None)
    if appeal_settings is None or not appeal_settings.independent_decider:
        return True
    return not took_part(user, appeal.application)


@rules.predicate
def is_lead_of_appeal(user, appeal):
    return appeal is not None and is_application_lead.test(user, appeal.application)


# obj: Application (the link on its results page; the service says why when it refuses)
rules.add_perm("appeals.file_appeal", not_administrator & is_application_lead)
# obj: Appeal
rules.add_perm("appeals.view_appeal", is_program_staff | (not_administrator & is_lead_of_appeal))
rules.add_perm("appeals.decide_appeal", is_program_staff & is_filed & is_independent_where_required)
# obj: Round
rules.add_perm("appeals.view_round_appeals", is_program_staff)
rules.add_perm("appeals.configure_appeals", is_administrator)
