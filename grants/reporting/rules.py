"""Who may do what with a program's indicators: the one place these checks live."""

import rules

from consortia.rules import is_administrator, is_lead_contact, is_program_staff, not_administrator

# Program staff (administrators among them) read the definitions: they review reports against them. Administrators
# keep them.
rules.add_perm("reporting.view_indicators", is_program_staff)
rules.add_perm("reporting.keep_indicators", is_administrator)
# A report besides the annual ones: program staff ask for it (monitoring, EC 53015).
rules.add_perm("reporting.ask_for_reports", is_program_staff)

# A consortium's data managers (obj: Consortium): its lead agency's staff name them; program staff see who they are.
rules.add_perm("reporting.view_data_managers", is_program_staff | is_lead_contact)
rules.add_perm("reporting.name_data_managers", not_administrator & is_lead_contact)
