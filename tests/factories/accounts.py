"""Second factors: a confirmed authenticator (TOTP) and recovery codes, as set-up leaves them."""

import factory
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .consortia import UserFactory


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


def with_second_factor(user, codes=("aaaabbbb", "ccccdddd")) -> TOTPDevice:
    """Give `user` a confirmed authenticator and these recovery codes; returns the authenticator."""
    device = TOTPDeviceFactory(user=user)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in codes:
        StaticToken.objects.create(device=recovery, token=code)
    return device


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead` 30-second steps later: a code already
    used cannot be used again, so a second sign-in within the same step needs the next one)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"
