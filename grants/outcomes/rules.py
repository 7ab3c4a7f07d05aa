"""Who sees the program's outcomes across consortia: program staff (administrators among them)."""

import rules

from consortia.rules import is_program_staff

# obj: Program
rules.add_perm("outcomes.view_outcomes", is_program_staff)
