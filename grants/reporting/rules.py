"""Who may do what with a program's indicators: the one place these checks live."""

import rules

from consortia.rules import is_administrator, is_program_staff

# Program staff (administrators among them) read the definitions: they review reports against them. Administrators
# keep them.
rules.add_perm("reporting.view_indicators", is_program_staff)
rules.add_perm("reporting.keep_indicators", is_administrator)
# A report besides the annual ones: program staff ask for it (monitoring, EC 53015).
rules.add_perm("reporting.ask_for_reports", is_program_staff)
