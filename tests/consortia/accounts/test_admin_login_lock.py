"""The Django admin's own sign-in page is throttled the same way (axes works through the authentication backend)."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def admin_sign_in(client, email, password, address="127.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_the_admin_login_locks_after_five_failures_and_refuses_the_right_password(client, admin):
    admin.is_staff = True
    admin.save()
    for n in range(4):
        assert admin_sign_in(client, admin.email, "wrong", address=f"198.51.100.{n}").status_code == 200

    locked = admin_sign_in(client, admin.email, "wrong", address="198.51.100.9")
    refused = admin_sign_in(client, admin.email, PASSWORD, address="203.0.113.1")

    assert locked.status_code == 429
    assert "Signing in is locked" in locked.content.decode()
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_at_the_admin_login_count_toward_the_sites_sign_in_lock(client, admin):
    for n in range(5):
        admin_sign_in(client, admin.email, "wrong", address=f"198.51.100.{n}")

    response = client.post("/accounts/login/", {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 429
