"""Two-factor authentication: an authenticator app (TOTP, django-otp) and ten recovery codes, each usable once.

A person has a second factor once their authenticator is confirmed; from then on signing in asks for a code after
the password. Program staff and administrators must have one when CCPT_REQUIRE_STAFF_2FA is on. Re-authentication
asks `verify_second_factor` instead of a password.
"""

import math
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.refusal import Refusal

RECOVERY_CODE_COUNT = 10
WRONG_CODE = "That code is not right. Type the 6 digits your authenticator app shows now, or a recovery code."


class WrongCode(Refusal):
    """A code checked and found wrong (not one refused unchecked while throttled): it counts as a failed sign-in."""


def has_second_factor(user, known: bool | None = None) -> bool:
    """`known`: the answer already read in this request with the person (accounts.backends), else it is asked."""
    if not user.is_authenticated:
        return False
    if known is not None:
        return known
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user) -> bool:
    return bool(settings.CCPT_REQUIRE_STAFF_2FA and (user.is_program_staff or user.is_administrator))


def _cleaned(code) -> str:
    # People copy codes with spaces or dashes ("123 456", "abcd-efgh"); recovery codes are lower case.
    return re.sub(r"[\s-]", "", str(code or "")).lower()


def _wait(device) -> str:
    """django-otp doubles the wait after each wrong code (1, 2, 4, 8… seconds); say how long is left."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return ""
    seconds = max(math.ceil((details["locked_until"] - timezone.now()).total_seconds()), 1)
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes: wait {seconds} {unit}, then try again."


def check_code(*, user, code):
    """The device that accepts `code`: six digits are the authenticator's, anything else a recovery code (used up
    here). WrongCode if it is not right; a Refusal, unchecked, while wrong codes are being throttled."""
    code = _cleaned(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first() if code else None
    if device is None:
        raise WrongCode(WRONG_CODE)
    if wait := _wait(device):
        raise Refusal(wait)
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        raise WrongCode(WRONG_CODE)
    if isinstance(verified, StaticDevice):
        left = verified.token_set.count()
        record(Event.Action.SECOND_FACTOR, by=user, summary=f"Used a recovery code; {left} left")
    return verified


def verify_second_factor(user, code) -> bool:
    """True if `code` is the person's current authenticator code or one of their unused recovery codes (which is
    then used up). For re-authentication, in place of a password."""
    try:
        check_code(user=user, code=code)
    except Refusal:
        return False
    return True


def authenticator_being_set_up(*, user) -> TOTPDevice:
    """The authenticator not yet confirmed: the same one until it is, so that reloading the set-up page does not
    change the key the person may have scanned already."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def turn_on(*, user, code) -> TOTPDevice:
    """Confirm the authenticator being set up with a code it shows, and give the person new recovery codes."""
    if has_second_factor(user):
        raise Refusal("Two-factor authentication is already on.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Refusal("Start again: open the set-up page for a new key.")
    if wait := _wait(device):
        raise Refusal(wait)
    # Not inside a transaction that a wrong code would roll back: django-otp records the failure on the device.
    if not device.verify_token(_cleaned(code)):
        raise WrongCode("That code is not right. Type the 6 digits your authenticator app shows now for CCPT Grants.")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        _replace_recovery_codes(user)
        record(Event.Action.SECOND_FACTOR, by=user, summary="Turned on two-factor authentication")
    return device


def _replace_recovery_codes(user) -> None:
    # The same device, new tokens: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    device = device or StaticDevice.objects.create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=StaticToken.random_token()) for _ in range(RECOVERY_CODE_COUNT)
    )


def recovery_codes(user) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))


def new_recovery_codes(*, user, code) -> None:
    """Replace the recovery codes (the old ones stop working), once a current code proves it is the person."""
    check_code(user=user, code=code)
    with transaction.atomic():
        _replace_recovery_codes(user)
        record(Event.Action.SECOND_FACTOR, by=user, summary="Made new recovery codes; the old ones no longer work")


def turn_off(*, user, code) -> None:
    if not user.has_perm("accounts.turn_off_second_factor"):
        raise Refusal("Your role requires two-factor authentication; it cannot be turned off.")
    check_code(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(Event.Action.SECOND_FACTOR, by=user, summary="Turned off two-factor authentication")


def qr_code_svg(device: TOTPDevice) -> str:
    """The authenticator's key as a QR code, inline SVG (no script, no style attribute)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code", title="QR code of your key for CCPT Grants"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup: a path drawn from our key, and our title


def key_to_type(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed (base32), in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
