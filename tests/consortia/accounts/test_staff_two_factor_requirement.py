"""With CCPT_REQUIRE_STAFF_2FA on, program staff and administrators without a second factor set one up before
anything else; applicants and readers may choose. With it off (development), nobody is made to."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from consortia.accounts.second_factor import has_second_factor
from tests.factories import UserFactory

from .conftest import sign_in, typed_key_code

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:set-up")


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_staff_and_administrators_without_a_device_are_sent_to_set_up_after_signing_in(
    client, request, who, staff_2fa_required
):
    person = request.getfixturevalue(who)
    signed_in = sign_in(client, person.email, next="/rounds/")

    dashboard = client.get(signed_in["Location"])
    admin = client.get("/admin/")
    post = client.post("/accounts/password_change/", {})

    assert dashboard.status_code == 302 and dashboard["Location"] == f"{SET_UP}?next=/rounds/"
    assert admin["Location"].startswith(SET_UP)
    assert post["Location"] == SET_UP
    page = client.get(dashboard["Location"]).content.decode()
    assert page.count("Your role requires two-factor authentication: set it up to continue.") == 1


def test_once_set_up_the_staff_member_reaches_the_page_they_asked_for(client, staff, staff_2fa_required):
    sign_in(client, staff.email)
    page = client.get(f"{SET_UP}?next=/rounds/").content.decode()

    done = client.post(SET_UP, {"code": typed_key_code(page), "next": "/rounds/"})
    codes_page = client.get(done["Location"])
    saved = client.post(reverse("accounts:recovery-codes"), {"next": "/rounds/"})

    assert has_second_factor(staff)
    assert codes_page.status_code == 200
    assert saved["Location"] == "/rounds/"
    assert client.get("/rounds/").status_code == 200


def test_applicants_and_readers_are_not_made_to_set_it_up(client, applicant, staff_2fa_required):
    reader = UserFactory(role="Readers")
    for person in (applicant, reader):
        sign_in(client, person.email)
        assert client.get("/").status_code == 200
        client.post(reverse("logout"))


def test_with_the_setting_off_staff_sign_in_with_a_password_alone(client, staff, settings):
    settings.CCPT_REQUIRE_STAFF_2FA = False

    sign_in(client, staff.email)

    assert client.get("/").status_code == 200


def test_the_setting_is_on_by_default_in_production_and_off_in_development():
    def required(debug):
        code = "import django; django.setup(); from django.conf import settings; print(settings.CCPT_REQUIRE_STAFF_2FA)"
        environment = {"DJANGO_SETTINGS_MODULE": "ccpt.settings", "DJANGO_DEBUG": debug, "PATH": "/usr/bin:/bin"}
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=django_settings.BASE_DIR
        )
        return result.stdout.strip().splitlines()[-1]

    assert required("false") == "True"
    assert required("true") == "False"
