"""Making, finding and revoking API tokens.

A token reads `ccpt_<prefix>_<secret>`: the prefix (public, shown in the list of tokens) finds the row, and the
SHA-256 of the whole token is compared with the one kept. The secret has 256 random bits, so a plain hash is enough
(no slow password hash: nothing guessable is protected) and a request costs one indexed read."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.refusal import Refusal

from .models import Token

PREFIX = "ccpt"
# last_used_at is written at most this often, so that a busy token does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def make_token(*, user, name: str, scopes: list[str], expires_at: datetime | None = None) -> tuple[Token, str]:
    """A new token and its secret: the caller shows the secret once; only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise Refusal("Name the token: say what it is for.", errors={"name": "Say what the token is for."})
    unknown = set(scopes) - set(Token.Scope.values)
    if not scopes or unknown:
        raise Refusal("Choose what the token may do.", errors={"scopes": "Choose at least one of the scopes listed."})
    if expires_at is not None and expires_at <= timezone.now():
        raise Refusal("The expiry date has passed.", errors={"expires_at": "Give a date in the future, or none."})
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    ordered = [scope for scope in Token.Scope.values if scope in scopes]
    token = Token.objects.create(
        user=user, name=name, prefix=prefix, digest=digest_of(secret), scopes=ordered, expires_at=expires_at
    )
    record(Event.Action.SETTING_CHANGE, by=user, obj=token, summary=f"Made {token.label}: {', '.join(ordered)}")
    return token, secret


@transaction.atomic
def revoke_token(*, token: Token, by) -> Token:
    locked = Token.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(Event.Action.SETTING_CHANGE, by=by, obj=locked, summary=f"Revoked {locked.label}")
    token.revoked_at = locked.revoked_at
    return locked


def find(secret: str) -> Token | None:
    """The usable token this secret is, or None (unknown, wrong, revoked or expired)."""
    parts = secret.split("_", 2)  # the secret itself may hold "_"
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    token = Token.objects.filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, digest_of(secret)):
        return None
    now = timezone.now()
    if not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
