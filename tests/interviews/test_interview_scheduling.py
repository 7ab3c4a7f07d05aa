"""Finalists, panels and slots: conflicts refused, clashes refused, the finalist emailed each slot once, requests
for another slot."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from grants.interviews.models import Finalist, SlotRequest
from grants.interviews.services import emails, finalists, panels, scheduling
from tests.factories import AffiliationFactory, ContactFactory, UserFactory

from .setup import interview_round, panel_of

pytestmark = pytest.mark.django_db


def slot(finalist, panel, staff, days=7, **overrides):
    fields = {
        "finalist": finalist,
        "panel": panel,
        "starts_at": timezone.now() + timedelta(days=days),
        "minutes": 60,
        "place": "",
        "video_link": "https://meet.example.org/ccpt-1",
        "by": staff,
    }
    return scheduling.schedule(**{**fields, **overrides})


@pytest.fixture
def staged(staff_user):
    round_, applications = interview_round(finalists_per_category=2)
    for application in applications:
        ContactFactory(consortium=application.consortium)
    chosen = finalists.choose(round_=round_, application_ids=finalists.top_per_category(round_, 2), by=staff_user)
    return round_, applications, chosen


def test_the_top_n_by_reading_score_become_finalists(staged):
    round_, (a, b, c), chosen = staged

    assert {f.application_id for f in chosen} == {a.pk, b.pk}


def test_the_finalist_is_emailed_the_slot_once_and_again_when_it_moves(
    staged, staff_user, django_capture_on_commit_callbacks
):
    round_, _, (first, _) = staged
    panel = panel_of(round_, UserFactory(role="Readers"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        interview = slot(first, panel, staff_user)
    assert emails.notify_slot(interview.pk) == 0  # the job ran on commit already: once per slot
    with django_capture_on_commit_callbacks(execute=True):
        moved = slot(first, panel, staff_user, days=8)

    number = first.application.number
    assert [m.subject for m in mail.outbox] == [
        f"CCPT Grants: your interview for {number}",
        f"CCPT Grants: Panel A interviews {number}",
        f"CCPT Grants: your interview has moved for {number}",
        f"CCPT Grants: Panel A interviews {number}",
    ]
    assert "Pacific time" in mail.outbox[2].body and moved.slot_version == 2
    assert mail.outbox[1].to == [panel.memberships.get().member.email]
    assert "the interview has moved" in mail.outbox[3].body


def test_a_panel_cannot_hold_two_interviews_at_once(staged, staff_user):
    round_, _, (first, second) = staged
    panel = panel_of(round_, UserFactory(role="Readers"))
    slot(first, panel, staff_user)

    with pytest.raises(Refusal, match="choose another time or panel"):
        slot(second, panel, staff_user, days=7, starts_at=first.interview.starts_at + timedelta(minutes=30))


def test_a_conflicted_member_cannot_join_a_panel_nor_a_panel_take_a_conflicted_interview(staged, staff_user):
    round_, (a, _, _), (first, _) = staged
    tied = UserFactory(role="Readers")
    AffiliationFactory(user=tied, organization=a.consortium.lead_agency)
    clean_panel = panel_of(round_, UserFactory(role="Readers"), name="Clean")
    slot(first, clean_panel, staff_user)

    with pytest.raises(Refusal, match="conflict of interest"):
        panels.add_member(panel=clean_panel, member=tied, by=staff_user)
    with pytest.raises(Refusal, match="conflict of interest"):
        slot(first, panel_of(round_, tied, name="Tied"), staff_user, days=9)


def test_a_slot_in_the_past_is_refused(staged, staff_user):
    round_, _, (first, _) = staged

    with pytest.raises(Refusal, match="future"):
        slot(first, panel_of(round_), staff_user, days=-1)


def test_the_finalist_asks_for_another_slot_and_staff_keep_it_with_an_answer(
    staged, staff_user, django_capture_on_commit_callbacks
):
    round_, _, (first, _) = staged
    interview = slot(first, panel_of(round_), staff_user)
    contact = first.application.consortium.contacts.first().user
    mail.outbox.clear()

    scheduling.request_slot(interview=interview, by=contact, reason="Board meeting that day", preferred="Any Friday")
    with pytest.raises(Refusal, match="already"):
        scheduling.request_slot(interview=interview, by=contact, reason="Again", preferred="")
    with django_capture_on_commit_callbacks(execute=True):
        answered = scheduling.decline_request(
            slot_request=interview.slot_requests.get(), by=staff_user, answer="Every other slot is taken."
        )

    assert answered.status == SlotRequest.Status.DECLINED
    answers = [m for m in mail.outbox if "stays as scheduled" in m.subject]
    assert len(answers) == 1 and "Every other slot is taken." in answers[0].body
    assert emails.notify_answer(answered.pk) == 0


def test_moving_the_interview_answers_the_open_request(staged, staff_user):
    round_, _, (first, _) = staged
    panel = panel_of(round_)
    interview = slot(first, panel, staff_user)
    scheduling.request_slot(interview=interview, by=staff_user, reason="Clash", preferred="")

    slot(first, panel, staff_user, days=10)

    assert interview.slot_requests.get().status == SlotRequest.Status.MOVED


def test_a_finalist_with_submitted_scores_cannot_be_removed(staged, staff_user):
    round_, _, (first, _) = staged
    member = UserFactory(role="Readers")
    interview = slot(first, panel_of(round_, member), staff_user)
    interview.reviews.create(member=member, status="submitted", total=10)

    with pytest.raises(Refusal, match="scored"):
        finalists.remove(finalist=first, by=staff_user, reason="Withdrew")
    assert Finalist.objects.filter(pk=first.pk).exists()


def test_a_deactivated_reader_cannot_join_a_panel(staged, staff_user):
    from grants.reviews.services.readers import deactivate

    round_, _, _ = staged
    reader = UserFactory(role="Readers")
    deactivate(reader=reader, by=staff_user, reason="Retired", remove_unsubmitted=False)

    with pytest.raises(Refusal, match="not an active reader"):
        panels.add_member(panel=panel_of(round_), member=reader, by=staff_user)
