"""Who may see, draw on and configure a program's set-aside (obj: Program)."""

import rules

from consortia.rules import is_administrator, is_program_staff

rules.add_perm("setaside.view_set_aside", is_program_staff)
rules.add_perm("setaside.draw_set_aside", is_program_staff)
rules.add_perm("setaside.configure_set_aside", is_administrator)
