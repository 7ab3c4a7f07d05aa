"""Who may do what with an award's payments, holds, recoveries, expenditure reports and budget revisions: the one
place these checks live. Objects: an Award, or a Payment, ExpenditureReport or BudgetRevision (each has the award's
consortium); a Program for the settings."""

import rules

from consortia.rules import (
    is_administrator,
    is_contact,
    is_lead_contact,
    is_program_staff,
    not_administrator,
    of_consortium,
)

is_award_contact = of_consortium(is_contact)
is_award_lead = of_consortium(is_lead_contact)

# The consortium's contacts read their own award's payments and ledger; program staff manage them.
rules.add_perm("payments.view_payments", is_program_staff | is_award_contact)
rules.add_perm("payments.manage_payments", is_program_staff)  # schedule, release, pay, cancel, hold, recover, close
# The second approval of a large payment (never by the person who released it: services.payments.approve_payment).
rules.add_perm("payments.approve_payment", is_administrator)
rules.add_perm("payments.edit_settings", is_administrator)

# Expenditure reports and budget revisions: the lead agency's staff file them for the consortium (never an
# administrator, consortia/rules.py); program staff decide them.
rules.add_perm("payments.file_reports", not_administrator & is_award_lead)
rules.add_perm("payments.decide_reports", is_program_staff)
