"""Sessions that end: after a while without a request, and in any case some hours after signing in.

The session remembers when the person signed in (`signed_in_at`), when they last proved who they are
(`authenticated_at`, which re-authentication renews) and when they were last seen; all ISO 8601 timestamps.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
AUTHENTICATED_AT = "authenticated_at"
LAST_SEEN_AT = "last_seen_at"
# Writing the session on every request would cost a database write per page; a minute's precision is enough.
TOUCH_EVERY = timedelta(minutes=1)


def mark_signed_in(request) -> None:
    """The one place a successful sign-in is written into the session (called on Django's user_logged_in)."""
    now = timezone.now().isoformat()
    request.session[SIGNED_IN_AT] = now
    request.session[AUTHENTICATED_AT] = now
    request.session[LAST_SEEN_AT] = now


def mark_authenticated(request) -> None:
    """The person has just proved who they are again (a second-factor code)."""
    request.session[AUTHENTICATED_AT] = timezone.now().isoformat()


def idle_limit(user) -> timedelta:
    if user.is_program_staff or user.is_administrator:
        return timedelta(minutes=settings.CCPT_SESSION_IDLE_MINUTES_STAFF)
    return timedelta(minutes=settings.CCPT_SESSION_IDLE_MINUTES)


def _moment(session, key) -> datetime | None:
    try:
        return datetime.fromisoformat(session[key])
    except (KeyError, TypeError, ValueError):
        return None


def why_expired(request) -> str:
    """Why the signed-in person's session is over ("" while it is not), for the audit trail."""
    now = timezone.now()
    signed_in_at = _moment(request.session, SIGNED_IN_AT)
    last_seen_at = _moment(request.session, LAST_SEEN_AT) or signed_in_at
    # Every sign-in writes the time (mark_signed_in); a session without it was not made by signing in here.
    if signed_in_at is None:
        return "Session ended: it had no sign-in time"
    if now - signed_in_at > timedelta(hours=settings.CCPT_SESSION_MAX_HOURS):
        return f"Session expired: signed in more than {settings.CCPT_SESSION_MAX_HOURS} hours before"
    limit = idle_limit(request.user)
    if now - last_seen_at > limit:
        return f"Session expired: no activity for {int(limit.total_seconds() // 60)} minutes"
    return ""


def touch(request) -> None:
    last_seen_at = _moment(request.session, LAST_SEEN_AT)
    now = timezone.now()
    if last_seen_at is None or now - last_seen_at >= TOUCH_EVERY:
        request.session[LAST_SEEN_AT] = now.isoformat()
