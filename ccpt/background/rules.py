"""Who may see and retry background work: program staff and administrators (the User model's own roles; this app
sits below consortia, so it asks the person rather than importing consortia's predicates)."""

import rules


@rules.predicate
def is_program_staff(user):
    return user.is_authenticated and user.is_program_staff


rules.add_perm("background.view_background_work", is_program_staff)
rules.add_perm("background.retry_job", is_program_staff)
