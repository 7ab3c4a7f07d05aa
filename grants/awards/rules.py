"""Who may do what with funding plans, awards and notices: the one place these checks live."""

import rules

from consortia.rules import (
    is_administrator,
    is_contact,
    is_lead_contact,
    is_program_staff,
    not_administrator,
    of_consortium,
)

from .models import Award

is_award_contact = of_consortium(is_contact)
is_award_lead = of_consortium(is_lead_contact)


@rules.predicate
def is_offered(user, award):
    return award is not None and award.status == Award.Status.OFFERED


# Funding plans (obj: Round for building, FundingPlan for approving)
rules.add_perm("awards.build_plan", is_program_staff)  # generate, recompute, change lines with reasons
rules.add_perm("awards.approve_plan", is_administrator)
# Awards (obj: Award)
rules.add_perm("awards.view_award", is_program_staff | is_award_contact)  # and its letter
# Accept or decline: the consortium's answer, never an administrator's (consortia/rules.py)
rules.add_perm("awards.respond_to_award", not_administrator & is_award_lead & is_offered)
rules.add_perm("awards.manage_award", is_program_staff)  # status changes, amendments, payments
# Notices and reports
rules.add_perm("awards.manage_notices", is_program_staff)  # see delivery, resend deliberately
rules.add_perm("awards.view_program_dashboard", is_program_staff)
