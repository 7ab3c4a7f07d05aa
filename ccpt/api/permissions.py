"""What a token may do (its scopes), and the one helper views use for object permissions: the site's own rules
(grants/*/rules.py, consortia/rules.py) through `user.has_perm`, never a second set of checks."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Token


class TokenScopes(BasePermission):
    """Reading needs a token with the read scope (or none, on the public views: `public = True`); writing needs the
    report-write scope. What the person may read or change is then the site's rules' to say."""

    message = "This token's scopes do not allow it."

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            return request.method in SAFE_METHODS and getattr(view, "public", False)
        needed = Token.Scope.READ if request.method in SAFE_METHODS else Token.Scope.REPORT_WRITE
        return needed in token.scopes


def authorize(request, perm: str, obj=None) -> None:
    """403 unless the site's rule lets the person do it (as ccpt.lib.permissions.authorize does for pages)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("You may not do this: the same rules apply here as in the site.")
