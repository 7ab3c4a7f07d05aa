"""Staff see each notice's delivery and send one again deliberately, with a reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.awards.models import Notice
from tests.factories import AwardFactory, ContactFactory, NoticeFactory

SENT_AT = datetime(2015, 5, 27, 17, 30, tzinfo=ZoneInfo("UTC"))  # 10:30 am in Sacramento


@pytest.fixture
def award(db):
    return AwardFactory()


def page(client, round_, **params):
    return client.get(reverse("awards:notices", args=[round_.pk]), params).content.decode()


def test_each_notice_shows_its_kind_consortium_recipients_delivery_and_attempts(client, staff_user, award):
    round_ = award.round
    NoticeFactory(award=award, delivery="sent", sent_at=SENT_AT, attempts=1, recipients=["lead@crane.example.org"])
    queued = NoticeFactory(award=AwardFactory(round=round_), attempts=2, last_error="SMTPServerDisconnected: closed")
    failed = NoticeFactory(
        award=AwardFactory(round=round_), delivery="failed", attempts=1, last_error="The consortium has no one"
    )
    client.force_login(staff_user)
    content = page(client, round_)
    assert str(award.consortium) in content and "lead@crane.example.org" in content
    assert 'Sent <time datetime="2015-05-27T10:30:00-07:00">May 27, 2015, 10:30 AM PDT</time>' in content
    assert "Queued (attempt 2 failed: SMTPServerDisconnected: closed; it will be retried)" in content
    assert "<strong>Failed</strong>: The consortium has no one" in content
    assert str(queued.application.consortium) in content and str(failed.application.consortium) in content
    assert "Award notice" in content


def test_staff_filter_the_notices_by_delivery(client, staff_user, award):
    NoticeFactory(award=award, delivery="failed", last_error="bounced")
    sent = NoticeFactory(award=AwardFactory(round=award.round), delivery="sent", sent_at=SENT_AT)
    client.force_login(staff_user)
    content = page(client, award.round, delivery="failed")
    assert award.application.number in content
    assert sent.application.number not in content
    assert "Failed (1)" in content and "Sent (1)" in content


def test_a_resend_needs_a_reason(client, staff_user, award):
    notice = NoticeFactory(award=award, delivery="failed", last_error="bounced")
    client.force_login(staff_user)
    response = client.post(reverse("awards:notice-resend", args=[notice.pk]), {"reason": ""})
    assert "Give a reason; it is kept in the record." in response.content.decode()
    assert Notice.objects.count() == 1


def test_a_resend_is_a_second_notice_linked_to_the_first(
    client, staff_user, award, mailoutbox, django_capture_on_commit_callbacks
):
    ContactFactory(consortium=award.consortium)
    notice = NoticeFactory(award=award, delivery="failed", last_error="The consortium has no one to send it to")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:notice-resend", args=[notice.pk]),
            {"reason": "A lead contact was invited."},
            follow=True,
        )
    content = response.content.decode()
    assert "is queued; it is linked to the first, which is kept." in content
    again = Notice.objects.exclude(pk=notice.pk).get()
    assert again.resend_of == notice and again.resend_reason == "A lead contact was invited."
    assert again.delivery == "sent" and len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.delivery == "failed"  # the first is kept as it was
    content = page(client, award.round)
    assert f"by {staff_user}: A lead contact was invited." in content


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_notices_and_awards_pages_make_the_same_queries_for_3_and_12_awards(client, staff_user, award):
    round_ = award.round
    NoticeFactory(award=award)
    for _ in range(2):
        NoticeFactory(award=AwardFactory(round=round_), delivery="sent", sent_at=SENT_AT)
    client.force_login(staff_user)
    urls = [reverse("awards:notices", args=[round_.pk]), reverse("awards:round-awards", args=[round_.pk])]
    urls.append(reverse("awards:program-awards", args=[round_.program.pk]))
    client.get(urls[0])
    few = [_count_queries(client, url) for url in urls]
    for _ in range(9):
        original = NoticeFactory(award=AwardFactory(round=round_))
        NoticeFactory(award=original.award, resend_of=original)
    many = [_count_queries(client, url) for url in urls]
    assert many == few
