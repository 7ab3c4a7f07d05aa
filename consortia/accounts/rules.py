"""Who may do what with their own sign-in settings."""

import rules

from .second_factor import is_required


@rules.predicate
def must_use_second_factor(user):
    return is_required(user)


rules.add_perm("accounts.turn_off_second_factor", rules.is_authenticated & ~must_use_second_factor)
