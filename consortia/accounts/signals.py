"""The audit trail of signing in, from Django's auth signals (which django-axes hears too; its receivers run first,
being connected first, so a failure here already knows whether axes refused it or locked on it)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ccpt.audit.models import Event
from ccpt.audit.services import record

from . import second_factor, sessions, throttling


@receiver(user_logged_in, dispatch_uid="ccpt-signed-in")
def signed_in(sender, request, user, **kwargs):
    sessions.mark_signed_in(request)
    if second_factor.has_second_factor(user):
        summary = "Signed in with a password; a second-factor code is asked next"
    else:
        summary = "Signed in with a password"
        throttling.forget_failures(request, user)
    record(Event.Action.SIGN_IN, by=user, summary=summary)


@receiver(user_login_failed, dispatch_uid="ccpt-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    email = throttling.typed_email(None, credentials) or ""
    locked = getattr(request, "axes_locked_out", False)
    # axes sets how many failures count once it has recorded this one; it records none while a lock holds.
    counted = getattr(request, "axes_failures_since_start", None)
    if locked and counted is None:
        summary = "Refused: signing in is locked after too many failures"
    elif credentials.get("second_factor"):
        summary = "Wrong second-factor code"
    else:
        summary = "Wrong email or password"
    if request is not None and not locked:
        throttling.count_address_failure(request)
    by = getattr(request, "user", None)
    # A wrong password from someone signed in is re-authentication's (reauth.py), which records it itself.
    if credentials.get("second_factor") or not (by is not None and by.is_authenticated):
        record(Event.Action.SIGN_IN_FAILED, by=by, actor_label=email, summary=summary)
    if locked and counted is not None:
        record(
            Event.Action.LOCKED_OUT,
            actor_label=email,
            summary=f"Signing in locked for {settings.CCPT_SIGNIN_LOCK_MINUTES} minutes after {counted} failures "
            "on this account or from this address",
        )


@receiver(user_logged_out, dispatch_uid="ccpt-signed-out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Event.Action.SIGN_OUT, by=user, summary=getattr(request, "ccpt_sign_out_reason", "") or "Signed out")
