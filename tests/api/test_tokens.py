"""API tokens: made in the site and shown once, kept only as a hash, revoked or expired they stop working, and each
scope allows only what it says; requests are throttled per token."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ccpt.api import tokens
from ccpt.api.models import Token
from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def bearer(secret):
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_a_token_is_made_in_the_site_and_its_secret_shown_once(client, people):
    client.force_login(people.a.lead)
    session = client.session
    session["authenticated_at"] = timezone.now().isoformat()  # confirmed identity just now (accounts/reauth.py)
    session.save()

    response = client.post(reverse("api:token-new"), {"name": "Nightly push", "scopes": ["read", "report-write"]})
    token = Token.objects.get(user=people.a.lead)
    first = client.get(response["Location"]).content.decode()
    again = client.get(response["Location"]).content.decode()

    secret = first.split('readonly value="')[1].split('"')[0]
    assert secret.startswith(f"ccpt_{token.prefix}_")
    assert secret not in again and "cannot be shown again" in again
    assert token.digest == tokens.digest_of(secret) and secret not in token.digest
    assert token.scopes == ["read", "report-write"]
    assert bearer(secret).get("/api/v1/awards/").status_code == 200
    assert "Nightly push" in client.get(reverse("api:tokens")).content.decode()


def test_making_a_token_asks_for_the_password_again_when_it_is_old(client, people):
    client.force_login(people.a.lead)
    session = client.session
    session["authenticated_at"] = (timezone.now() - timedelta(hours=2)).isoformat()
    session.save()

    response = client.post(reverse("api:token-new"), {"name": "Nightly push", "scopes": ["read"]})

    assert not Token.objects.exists()
    assert "password" in response.content.decode().lower()


def test_a_revoked_token_stops_working_and_only_its_owner_revokes_it(client, people):
    token, secret = tokens.make_token(user=people.a.lead, name="Old", scopes=["read"])
    client.force_login(people.b.lead)
    session = client.session
    session["authenticated_at"] = timezone.now().isoformat()
    session.save()
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404

    tokens.revoke_token(token=token, by=people.a.lead)

    assert bearer(secret).get("/api/v1/awards/").status_code == 401


def test_an_expired_token_and_a_wrong_secret_do_not_work(people):
    token, secret = tokens.make_token(
        user=people.a.lead, name="Short", scopes=["read"], expires_at=timezone.now() + timedelta(days=1)
    )
    assert bearer(secret).get("/api/v1/awards/").status_code == 200
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert bearer(secret).get("/api/v1/awards/").status_code == 401
    assert bearer(secret[:-2] + "xx").get("/api/v1/awards/").status_code == 401
    assert bearer("nonsense").get("/api/v1/awards/").status_code == 401


def test_a_read_token_cannot_write_and_a_write_only_token_cannot_read(people):
    report = people.a.report()
    reading = api(people.a.lead, scopes=["read"])
    writing = api(people.a.lead, scopes=["report-write"])

    assert reading.post(f"/api/v1/reports/{report.pk}/submit/").status_code == 403
    assert writing.get("/api/v1/awards/").status_code == 403


def test_requests_are_throttled_per_token(people, settings):
    settings.CCPT_API_TOKEN_RATE = "3/minute"
    one, other = api(people.a.lead), api(people.a.lead)

    statuses = [one.get("/api/v1/awards/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert other.get("/api/v1/awards/").status_code == 200
