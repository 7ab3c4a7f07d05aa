"""Signing in with a second factor: after the password, a code from the app or a recovery code (each works once);
until then nothing but the code page and signing out."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import code_of, with_second_factor

from .conftest import enter_code, sign_in, wait_out_the_throttle

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:verify")


@pytest.fixture
def device(applicant):
    return with_second_factor(applicant, codes=["k7d2m9qa", "x3v8p1zr"])


def test_after_the_password_it_asks_for_a_code_and_then_goes_where_the_person_was_going(client, applicant, device):
    signed_in = sign_in(client, applicant.email, next="/rounds/")
    asked = client.get(signed_in["Location"])

    assert signed_in["Location"] == "/rounds/"
    assert asked.status_code == 302 and asked["Location"] == f"{VERIFY}?next=/rounds/"
    assert "Enter your code" in client.get(asked["Location"]).content.decode()

    verified = enter_code(client, code_of(device), next="/rounds/")

    assert verified["Location"] == "/rounds/"
    assert client.get("/rounds/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/rounds/", "/accounts/security/", "/admin/", "/accounts/password_change/"])
def test_until_the_code_is_entered_every_page_leads_to_the_code_page(client, applicant, device, path):
    sign_in(client, applicant.email)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_until_the_code_is_entered_posts_are_turned_away_too(client, applicant, device):
    sign_in(client, applicant.email)

    response = client.post("/accounts/security/turn-off/", {"off-code": "k7d2m9qa"})

    assert response["Location"] == VERIFY
    assert device.user.staticdevice_set.get().token_set.count() == 2


def test_signing_out_is_allowed_before_the_code(client, applicant, device):
    sign_in(client, applicant.email)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_with_a_clear_message(client, applicant, device):
    sign_in(client, applicant.email)

    response = enter_code(client, "000000")

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_code_right_after_a_wrong_one_is_asked_to_wait(client, applicant, device):
    sign_in(client, applicant.email)
    enter_code(client, "000000")

    response = enter_code(client, code_of(device))

    assert "Too many wrong codes: wait 1 second, then try again." in response.content.decode()


def test_a_recovery_code_signs_in_once_and_is_refused_the_second_time(client, applicant, device):
    sign_in(client, applicant.email)
    first = enter_code(client, "K7D2 M9QA")
    client.post(reverse("logout"))
    sign_in(client, applicant.email)

    second = enter_code(client, "k7d2m9qa")

    assert first.status_code == 302 and first["Location"] == "/"
    assert second.status_code == 200
    assert "That code is not right" in second.content.decode()
    assert client.get("/").status_code == 302


def test_wrong_codes_count_toward_the_sign_in_lock_and_sign_the_person_out(client, applicant, device):
    sign_in(client, applicant.email, "wrong")
    sign_in(client, applicant.email, "wrong")
    sign_in(client, applicant.email)
    responses = []
    for _ in range(3):
        wait_out_the_throttle(device)
        responses.append(enter_code(client, "000000"))

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert "You have 1 more try" in responses[1].content.decode()
    assert "Signing in is locked" in responses[2].content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, applicant.email).status_code == 429


def test_a_person_without_a_second_factor_is_not_asked_for_a_code(client, applicant):
    signed_in = sign_in(client, applicant.email)

    assert client.get(signed_in["Location"]).status_code == 200
    assert client.get(VERIFY)["Location"] == "/"


def test_a_mistyped_code_is_not_kept_in_the_failure_records(client, applicant, device):
    sign_in(client, applicant.email)

    enter_code(client, "k7d2m9qb")

    assert "k7d2m9qb" not in AccessAttempt.objects.get().post_data
