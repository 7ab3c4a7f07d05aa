"""Sign-in throttling (configured in settings "Signing in"): failures are counted per account (django-axes) and,
separately, per address (django-ratelimit, in the shared cache). An account is locked for CCPT_SIGNIN_LOCK_MINUTES
after CCPT_SIGNIN_FAILURE_LIMIT failures from anywhere; an address after CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT failures
on any accounts, a higher figure, since a whole school district may sign in from behind one address and one
person's typos must not lock out the rest. Wrong second-factor codes count too (second_factor.py). Password-reset
requests are limited per address and per email typed.
"""

import math
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage, is_ratelimited

from ccpt.audit.context import client_address
from ccpt.lib.text import without_control_characters


def typed_email(request, credentials: dict | None) -> str | None:
    """The email a sign-in was tried with, as axes counts it (AXES_USERNAME_CALLABLE): trimmed and lower-cased,
    since the account is found whatever the case, so that "Staff@…" and "staff@…" are one account's failures."""
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username")
    # Without control characters: PostgreSQL refuses NUL in a query, and a typed address never needs them.
    return without_control_characters(str(typed)).strip().lower() if typed else None


def failures(request, email: str | None) -> int:
    """Failures that count now, of the account or of the address, whichever has more."""
    return AxesProxyHandler.get_failures(request, {"username": email})


def attempts_left(request, email: str | None) -> int:
    return max(settings.AXES_FAILURE_LIMIT - failures(request, email), 0)


def is_locked(request, email: str | None) -> bool:
    return address_locked(request) or not AxesProxyHandler.is_allowed(request, {"username": email})


def _address_failures(request, *, increment: bool = False) -> dict | None:
    """The address's failures in the current window of CCPT_SIGNIN_LOCK_MINUTES (count, time_left)."""
    rate = f"{settings.CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT}/{settings.CCPT_SIGNIN_LOCK_MINUTES}m"
    return get_usage(request, group="sign-in-failures-by-address", key="ip", rate=rate, increment=increment)


def count_address_failure(request) -> None:
    _address_failures(request, increment=True)


def address_locked(request) -> bool:
    usage = _address_failures(request)
    return bool(usage) and usage["count"] >= settings.CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT


class AddressThrottleBackend:
    """Second in AUTHENTICATION_BACKENDS, after axes' (the account's lock): refuses every sign-in from an address that
    failed too often, before any password is checked. Marked as axes marks its own refusals, so that the failure is
    not counted again and axes' middleware answers with the locked page (`locked_out_page`)."""

    def authenticate(self, request, **credentials):
        if request is not None and address_locked(request):
            request.axes_locked_out = True
            raise PermissionDenied("Signing in from this address is locked for a while.")
        return None

    # No get_user(): it never signs anyone in, so no session names it (and force_login must not pick it).


def locked_until(request, credentials: dict | None) -> datetime:
    """When signing in will be allowed again: an account's lock lasts AXES_COOLOFF_TIME from the last failure it
    counts (failures while locked are refused unrecorded: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off); an
    address's, until its window of failures ends."""
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    last = None
    for attempts in handler.get_user_attempts(request, credentials):
        counted = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (counted["failures"] or 0) >= settings.AXES_FAILURE_LIMIT and counted["last"] is not None:
            last = max(last, counted["last"]) if last else counted["last"]
    until = (last + settings.AXES_COOLOFF_TIME) if last else timezone.now()
    if address_locked(request):
        until = max(until, timezone.now() + timedelta(seconds=_address_failures(request)["time_left"]))
    return until


def locked_out_page(request, original_response=None, credentials=None):
    """What a locked sign-in gets instead of axes' bare text (AXES_LOCKOUT_CALLABLE): the sign-in page, saying it is
    locked and until when, with the email typed kept. A person locked while half signed in (wrong second-factor
    codes) is signed out. The same page answers whether or not the email belongs to an account."""
    until = locked_until(request, credentials)
    if request.user.is_authenticated:
        request.ccpt_sign_out_reason = "Signed out: signing in is locked after too many failures"
        logout(request)
    email = typed_email(request, credentials) or ""
    context = {
        "form": AuthenticationForm(request, initial={"username": email}),
        "locked_until": until,
        "locked_minutes": max(math.ceil((until - timezone.now()).total_seconds() / 60), 1),
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }
    return render(request, "registration/login.html", context, status=429)


def count_wrong_code(request, user) -> None:
    """A wrong second-factor code counts toward the lock like a wrong password: Django's user_login_failed, which
    axes counts and the audit trail records."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.email, "second_factor": True}, request=request
    )


def forget_failures(request, user) -> None:
    """After a complete sign-in, that account's failures from that address are forgotten (a person who mistyped and
    then succeeded starts afresh). The address's failures on other accounts still count: someone trying passwords
    on many accounts must not clear them by signing in to their own between tries."""
    AccessAttempt.objects.filter(username=user.email.lower(), ip_address=client_address(request)).delete()


def unlock_account(user) -> None:
    """A password reset proves the person holds the account's email: its lock (from any address) is lifted."""
    AccessAttempt.objects.filter(username=user.email.lower()).delete()


def password_reset_limited(request, email: str) -> bool:
    """Count one password-reset request from this address and for this email; True when either is over its limit
    for the hour. Both are counted whether or not an account uses the email, so the answer reveals nothing."""
    by_address = is_ratelimited(
        request,
        group="password-reset-address",
        key="ip",
        rate=f"{settings.CCPT_PASSWORD_RESETS_PER_ADDRESS}/h",
        increment=True,
    )
    by_email = is_ratelimited(
        request,
        group="password-reset-email",
        key=lambda group, request: email.strip().lower(),
        rate=f"{settings.CCPT_PASSWORD_RESETS_PER_EMAIL}/h",
        increment=True,
    )
    return by_address or by_email
