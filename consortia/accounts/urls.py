"""Signing in and staying safe: throttled sign-in, two-factor authentication, sessions that expire,
re-authentication before actions that move money or power."""

from django.contrib.auth import urls as auth_urls
from django.urls import include, path

from . import reauth
from .views import security, signin

# Ours, namespaced "accounts:".
accounts_patterns = [
    path("verify/", signin.verify, name="verify"),
    path("security/", security.security, name="security"),
    path("security/set-up/", security.set_up, name="set-up"),
    path("security/recovery-codes/", security.recovery_codes, name="recovery-codes"),
    path("security/recovery-codes.txt", security.recovery_codes_text, name="recovery-codes-text"),
    path("security/recovery-codes/new/", security.new_recovery_codes, name="new-recovery-codes"),
    path("security/turn-off/", security.turn_off, name="turn-off"),
]

# Django's pages keep their usual names ("login", "password_reset", ...); three of them are ours, at the same paths.
OURS = {
    "login": signin.SignInView.as_view(),
    "password_reset": signin.PasswordResetView.as_view(),
    "password_reset_confirm": signin.PasswordResetConfirmView.as_view(),
}
urlpatterns = [
    *(path(str(p.pattern), OURS.get(p.name, p.callback), name=p.name) for p in auth_urls.urlpatterns),
    path("", include((accounts_patterns, "accounts"))),
]

# Re-authentication before actions that move money or power (reauth.py).
urlpatterns += [path("confirm/", reauth.confirm_identity, name="confirm-identity")]
