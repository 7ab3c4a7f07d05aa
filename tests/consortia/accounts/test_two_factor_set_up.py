"""Turning on two-factor authentication from the Security page: scan or type the key, confirm with a code, see ten
recovery codes once; make new ones; turn it off where the role allows."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from consortia.accounts.second_factor import has_second_factor, recovery_codes
from tests.factories import code_of, with_second_factor

from .conftest import typed_key_code, wait_out_the_throttle

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:set-up")
SECURITY = reverse("accounts:security")


def test_the_security_page_is_linked_from_the_user_menu_and_offers_set_up(client, applicant):
    client.force_login(applicant)

    dashboard = client.get("/").content.decode()
    page = client.get(SECURITY).content.decode()

    assert f'href="{SECURITY}"' in dashboard
    assert "Off." in page
    assert f'href="{SET_UP}"' in page


def test_the_set_up_page_shows_a_qr_code_as_inline_svg_and_the_key_to_type(client, applicant):
    client.force_login(applicant)

    page = client.get(SET_UP).content.decode()

    assert "<svg" in page and "<script" not in page.split("<main")[1].split("</main>")[0]
    assert "style=" not in page
    device = TOTPDevice.objects.get(user=applicant, confirmed=False)
    assert typed_key_code(page) == code_of(device)


def test_reloading_the_set_up_page_keeps_the_same_key(client, applicant):
    client.force_login(applicant)

    first = typed_key_code(client.get(SET_UP).content.decode())
    second = typed_key_code(client.get(SET_UP).content.decode())

    assert first == second
    assert TOTPDevice.objects.filter(user=applicant).count() == 1


def test_a_wrong_code_is_refused_next_to_the_field_and_nothing_is_turned_on(client, applicant):
    client.force_login(applicant)
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not has_second_factor(applicant)


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(client, applicant):
    client.force_login(applicant)
    page = client.get(SET_UP).content.decode()

    done = client.post(SET_UP, {"code": typed_key_code(page), "next": "/rounds/"})
    shown = client.get(done["Location"])
    download = client.get(reverse("accounts:recovery-codes-text"))
    saved = client.post(reverse("accounts:recovery-codes"), {"next": "/rounds/"})
    again = client.get(reverse("accounts:recovery-codes"))

    assert has_second_factor(applicant)
    codes = recovery_codes(applicant)
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert download["Content-Disposition"] == 'attachment; filename="ccpt-grants-recovery-codes.txt"'
    assert all(code in download.content.decode() for code in codes)
    assert saved["Location"] == "/rounds/"
    assert again.status_code == 302 and again["Location"] == SECURITY
    assert client.get("/").status_code == 200  # the session that set it up counts as verified


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, applicant):
    device = with_second_factor(applicant, codes=["oldcode1"])
    client.force_login(applicant)
    client.post(reverse("accounts:verify"), {"code": code_of(device)})

    refused = client.post(reverse("accounts:new-recovery-codes"), {"new-code": "123456"})
    assert "That code is not right" in refused.content.decode()
    assert recovery_codes(applicant) == ["oldcode1"]
    wait_out_the_throttle(device)
    made = client.post(reverse("accounts:new-recovery-codes"), {"new-code": code_of(device, steps_ahead=1)})

    assert made["Location"] == reverse("accounts:recovery-codes")
    codes = recovery_codes(applicant)
    assert len(codes) == 10 and "oldcode1" not in codes
    assert all(code in client.get(made["Location"]).content.decode() for code in codes)


def test_an_applicant_turns_it_off_with_a_code(client, applicant):
    with_second_factor(applicant, codes=["abcdefgh", "ijklmnop"])
    client.force_login(applicant)
    client.post(reverse("accounts:verify"), {"code": "abcdefgh"})

    response = client.post(reverse("accounts:turn-off"), {"off-code": "ijkl-mnop"}, follow=True)

    assert "Two-factor authentication is off" in response.content.decode()
    assert not has_second_factor(applicant)
    assert not StaticToken.objects.filter(device__user=applicant).exists()


def test_staff_cannot_turn_it_off_when_their_role_requires_it(client, staff, staff_2fa_required):
    with_second_factor(staff, codes=["abcdefgh", "ijklmnop"])
    client.force_login(staff)
    client.post(reverse("accounts:verify"), {"code": "abcdefgh"})

    page = client.get(SECURITY).content.decode()
    response = client.post(reverse("accounts:turn-off"), {"off-code": "ijklmnop"})

    assert "Your role requires two-factor authentication, so it cannot be turned off" in page
    assert reverse("accounts:turn-off") not in page
    assert response.status_code == 403
    assert has_second_factor(staff)
