"""Moving a round through its statuses from its page: who may make each change, and the record of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import StatusChange
from grants.programs.models import Round

from ..factories import RoundFactory, configured_round

pytestmark = pytest.mark.django_db
S = Round.Status

# (from, to, needs a reason, who may do it)
TRANSITIONS = [
    (S.DRAFT, S.OPEN, False, "admin"),
    (S.OPEN, S.DRAFT, True, "admin"),
    (S.OPEN, S.CLOSED, False, "staff"),
    (S.CLOSED, S.OPEN, True, "admin"),
    (S.CLOSED, S.IN_REVIEW, False, "staff"),
    (S.DECIDED, S.IN_REVIEW, True, "admin"),
    (S.DECIDED, S.CLOSED_OUT, False, "admin"),
]


def _post(client, round_, target, reason=""):
    return client.post(reverse("programs:round-transition", args=[round_.pk]), {"target": target, "reason": reason})


def _changes(round_):
    return list(
        StatusChange.objects.filter(object_id=round_.pk, content_type__model="round").values_list(
            "from_status", "to_status", "by", "reason"
        )
    )


@pytest.mark.parametrize(("source", "target", "needs_reason", "who"), TRANSITIONS)
def test_administrators_make_every_allowed_change_and_it_is_recorded(
    client, admin_user, source, target, needs_reason, who
):
    round_ = configured_round(status=source)
    client.force_login(admin_user)
    reason = "The RFA was corrected." if needs_reason else ""
    response = _post(client, round_, target, reason)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == target
    assert _changes(round_) == [(source, target, admin_user.pk, reason)]


@pytest.mark.parametrize(("source", "target", "needs_reason", "who"), TRANSITIONS)
def test_program_staff_make_only_the_staff_changes(client, staff_user, source, target, needs_reason, who):
    round_ = configured_round(status=source)
    client.force_login(staff_user)
    response = _post(client, round_, target, "A reason." if needs_reason else "")
    round_.refresh_from_db()
    if who == "staff":
        assert response.status_code == 302
        assert round_.status == target
        assert _changes(round_) == [(source, target, staff_user.pk, "")]
    else:
        assert response.status_code == 403
        assert round_.status == source
        assert _changes(round_) == []


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
@pytest.mark.parametrize(("source", "target", "needs_reason", "who"), TRANSITIONS)
def test_applicants_and_readers_cannot_change_a_rounds_status(client, request, role, source, target, needs_reason, who):
    round_ = configured_round(status=source)
    client.force_login(request.getfixturevalue(role))
    assert _post(client, round_, target, "Because.").status_code == 403
    round_.refresh_from_db()
    assert round_.status == source
    assert _changes(round_) == []


def test_anonymous_people_are_sent_to_sign_in(client):
    round_ = configured_round()
    response = _post(client, round_, S.OPEN)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    round_.refresh_from_db()
    assert round_.status == S.DRAFT


def test_an_unknown_round_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.post(reverse("programs:round-transition", args=[999999]), {"target": "open"}).status_code == 404


def test_a_change_that_needs_a_reason_is_refused_without_one(client, admin_user):
    round_ = configured_round(status=S.OPEN)
    client.force_login(admin_user)
    response = _post(client, round_, S.DRAFT, "   ")
    round_.refresh_from_db()
    assert round_.status == S.OPEN
    assert _changes(round_) == []
    page = client.get(response.url).content.decode()
    assert "Could not return to draft: Give a reason for this change; it is kept in the record." in page


def test_opening_a_round_with_problems_is_refused_with_the_problems(client, admin_user):
    round_ = RoundFactory(closes_at=timezone.now() + timedelta(days=3))
    client.force_login(admin_user)
    response = _post(client, round_, S.OPEN)
    round_.refresh_from_db()
    assert round_.status == S.DRAFT
    page = client.get(response.url).content.decode()
    assert "Could not open for applications: Add at least one funding category. Add the rubric" in page


def test_a_change_not_allowed_from_the_current_status_is_explained(client, admin_user):
    round_ = configured_round(status=S.DECIDED)
    client.force_login(admin_user)
    response = _post(client, round_, S.OPEN)
    round_.refresh_from_db()
    assert round_.status == S.DECIDED
    assert "Cannot go from decided to open." in client.get(response.url).content.decode()


def test_decisions_are_recorded_on_the_funding_plan_page_not_with_a_status_button(client, admin_user):
    round_ = configured_round(status=S.IN_REVIEW)
    client.force_login(admin_user)

    page = client.get(round_.get_absolute_url()).content.decode()
    assert 'Record the decisions: <a href="' + reverse("awards:plan", args=[round_.pk]) in page
    response = _post(client, round_, S.DECIDED, "We decided.")

    assert response.url == reverse("awards:plan", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.status == S.IN_REVIEW
    assert _changes(round_) == []


def test_a_made_up_status_is_refused_without_an_error_page(client, admin_user):
    round_ = configured_round()
    client.force_login(admin_user)
    response = _post(client, round_, "published")
    assert response.status_code == 302
    assert "Choose one of the status changes offered" in client.get(response.url).content.decode()


def test_the_round_page_offers_each_person_only_their_changes(client, staff_user, admin_user):
    round_ = configured_round(status=S.OPEN)
    client.force_login(staff_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Close applications" in page
    assert "Return to draft" not in page
    client.force_login(admin_user)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Close applications" in page
    assert "Return to draft" in page
    assert 'name="reason" rows="2" cols="40" required' in page


def test_the_round_page_shows_the_history_of_changes(client, admin_user):
    round_ = configured_round()
    client.force_login(admin_user)
    _post(client, round_, S.OPEN)
    _post(client, round_, S.DRAFT, "Category amounts were wrong.")
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "History of status changes" in page
    assert "Category amounts were wrong." in page
    assert page.count(str(admin_user)) >= 2
