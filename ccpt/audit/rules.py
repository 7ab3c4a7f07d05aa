"""Who may read the audit trail: administrators only.

The predicate is written here rather than borrowed from consortia.rules: the audit trail sits below consortia in
the import order (tests/grants/test_import_direction.py), and asks only the user model's own `is_administrator`.
"""

import rules


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and user.is_administrator


rules.add_perm("audit.view_audit_trail", is_administrator)
