"""Who may do what with programs and rounds: the one place these object-level checks live."""

import rules

from consortia.rules import is_administrator, is_program_staff

from .models import Round


@rules.predicate
def is_published_round(user, round_):
    return round_ is None or round_.status != Round.Status.DRAFT


# Drafts are for staff and administrators only.
rules.add_perm("programs.view_program", rules.is_authenticated)
rules.add_perm("programs.view_round", is_program_staff | (rules.is_authenticated & is_published_round))
rules.add_perm("programs.view_draft_rounds", is_program_staff)  # no object: lists of rounds
rules.add_perm("programs.configure_program", is_administrator)
rules.add_perm("programs.configure_round", is_administrator)
rules.add_perm("programs.change_round_status", is_program_staff)  # each transition names its own rule below

# The round's status changes (programs/transitions.py)
rules.add_perm("programs.open_round", is_administrator)
rules.add_perm("programs.close_round", is_program_staff)
rules.add_perm("programs.reopen_round", is_administrator)
rules.add_perm("programs.start_review", is_program_staff)
rules.add_perm("programs.decide_round", is_administrator)
rules.add_perm("programs.close_out_round", is_administrator)
