"""Sessions end after a while without a request (shorter for staff) and some hours after signing in; the person
then signs in again and is returned to the page they were on."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from .conftest import age, sign_in

pytestmark = pytest.mark.django_db


def test_signing_in_records_the_time_in_the_session(client, applicant):
    before = timezone.now()
    sign_in(client, applicant.email)

    signed_in_at = datetime.fromisoformat(client.session["signed_in_at"])

    assert before <= signed_in_at <= timezone.now()
    assert client.session["authenticated_at"] == client.session["signed_in_at"]


def test_staff_idle_for_more_than_30_minutes_are_signed_out_and_told_why(client, staff):
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(minutes=31))

    response = client.get("/rounds/?page=2")
    login_page = client.get(response["Location"])

    assert response["Location"] == "/accounts/login/?next=/rounds/%3Fpage%3D2"
    assert "_auth_user_id" not in client.session
    assert "Your session expired; sign in again." in login_page.content.decode()


def test_staff_active_within_30_minutes_stay_signed_in(client, staff):
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(minutes=29))

    assert client.get("/rounds/").status_code == 200


def test_applicants_may_be_idle_for_four_hours_while_writing(client, applicant):
    sign_in(client, applicant.email)
    age(client, last_seen=timedelta(minutes=239))
    assert client.get("/").status_code == 200

    age(client, last_seen=timedelta(minutes=241))
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_a_session_ends_twelve_hours_after_signing_in_however_active(client, applicant):
    sign_in(client, applicant.email)
    age(client, signed_in=timedelta(hours=12, minutes=1), last_seen=timedelta(minutes=1))

    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_the_idle_and_total_times_come_from_the_settings(client, staff, settings):
    settings.CCPT_SESSION_IDLE_MINUTES_STAFF = 5
    settings.CCPT_SESSION_MAX_HOURS = 1
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(minutes=6))
    assert client.get("/").status_code == 302

    sign_in(client, staff.email)
    age(client, signed_in=timedelta(minutes=61))
    assert client.get("/").status_code == 302


def test_an_expired_post_goes_to_sign_in_without_returning_to_the_form(client, staff):
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(hours=1))

    response = client.post("/accounts/password_change/", {"old_password": "x"})

    assert response["Location"] == "/accounts/login/"


def test_after_signing_in_again_the_person_is_back_on_the_page(client, staff):
    sign_in(client, staff.email)
    age(client, last_seen=timedelta(hours=1))
    sent = client.get("/rounds/")["Location"]

    again = sign_in(client, staff.email, next=parse_qs(urlsplit(sent).query)["next"][0])

    assert again["Location"] == "/rounds/"
    assert client.get("/rounds/").status_code == 200


def test_a_session_without_a_sign_in_time_is_ended(client, applicant):
    sign_in(client, applicant.email)
    session = client.session
    del session["signed_in_at"]
    session.save()

    assert client.get("/").status_code == 302
