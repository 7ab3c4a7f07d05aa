"""Resending a notice is done once per click: the same form posted twice (a double click, a refreshed page) queues
one new notice and tells the person it was already resent; a newly opened form resends again on purpose."""

import re

import pytest
from django.urls import reverse

from ccpt.lib.once import AlreadyDone, new_token
from grants.awards.models import Notice
from grants.awards.services.notices import resend
from tests.factories import AwardFactory, ContactFactory, NoticeFactory, UserFactory
from tests.helpers import race


@pytest.fixture
def notice(db):
    award = AwardFactory()
    ContactFactory(consortium=award.consortium)
    return NoticeFactory(award=award, delivery="failed", last_error="bounced")


def open_form(client, notice) -> dict:
    """The resend form as the page shows it: its reason box and its one-time token."""
    page = client.get(reverse("awards:notice-resend", args=[notice.pk])).content.decode()
    token = re.search(r'name="click" value="([0-9a-f]{32})"', page).group(1)
    return {"reason": "A lead contact was invited.", "click": token}


def send(client, notice, form):
    return client.post(reverse("awards:notice-resend", args=[notice.pk]), form, follow=True)


def test_pressing_send_twice_queues_one_new_notice_and_sends_one_email(
    client, staff_user, notice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    form = open_form(client, notice)

    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, notice, form)
    with django_capture_on_commit_callbacks(execute=True):
        second = send(client, notice, form)

    assert "is queued; it is linked to the first, which is kept." in first.content.decode()
    assert Notice.objects.filter(resend_of=notice).count() == 1
    assert len(mailoutbox) == 1
    page = second.content.decode()
    assert second.redirect_chain[-1][0] == reverse("awards:notices", args=[notice.application.round_id])
    assert "This notice was already resent on " in page
    assert f"by {staff_user}, from the same form (it was sent twice); it was not sent again." in page


def test_a_newly_opened_form_resends_again_on_purpose(
    client, staff_user, notice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        send(client, notice, open_form(client, notice))
    with django_capture_on_commit_callbacks(execute=True):
        send(client, notice, open_form(client, notice))

    resends = Notice.objects.filter(resend_of=notice).order_by("pk")
    assert [n.idempotency_key for n in resends] == [f"{notice.idempotency_key}:resend-{i}" for i in (1, 2)]
    assert len(mailoutbox) == 2


def test_a_made_up_token_is_refused_and_nothing_is_sent(client, staff_user, notice):
    client.force_login(staff_user)

    response = send(client, notice, {"reason": "Again.", "click": "not-a-token"})

    assert "This page is out of date: reload it, then try again." in response.content.decode()
    assert not Notice.objects.filter(resend_of=notice).exists()


def test_a_nul_in_the_reason_is_named_next_to_it_and_nothing_is_sent(client, staff_user, notice):
    client.force_login(staff_user)
    form = open_form(client, notice)

    response = send(client, notice, {**form, "reason": "Bounced\x00 twice."})

    page = response.content.decode()
    assert "This contained invisible control characters, which cannot be stored" in page
    assert "Bounced twice." in page
    assert not Notice.objects.filter(resend_of=notice).exists()


def test_the_service_refuses_the_same_click_with_what_it_made_the_first_time(notice, staff_user):
    click = new_token()
    made = resend(notice=notice, by=staff_user, reason="Bounced.", click=click)

    with pytest.raises(AlreadyDone) as again:
        resend(notice=notice, by=staff_user, reason="Bounced.", click=click)

    assert again.value.done == made


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_click_arriving_twice_at_once_resends_once():
    award = AwardFactory()
    notice = NoticeFactory(award=award, delivery="failed")
    staff = UserFactory(role="Program staff")
    click = new_token()

    def post():
        try:
            resend(notice=notice, by=staff, reason="Bounced.", click=click)
            return "resent"
        except AlreadyDone:
            return "already"

    assert sorted(race(post, post)) == ["already", "resent"]
    assert Notice.objects.filter(resend_of=notice).count() == 1
