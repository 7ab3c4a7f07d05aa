"""An application's conversation: staff and the consortium write to each other; staff notes stay with staff; readers
see only what staff share; clarification requests are answered once, by their due time, beside the frozen
snapshot; each new message reaches each person once, by email or in a daily digest, and shows as unread."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consortia.models import Contact, User
from grants.applications.services.snapshot import checksum
from grants.conversations import services
from grants.conversations.models import Clarification, Message, Notification
from tests.factories import AssignmentFactory, ConsortiumFactory, UserFactory, contact_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    """A reader assigned to a submitted application, attested free of conflict."""
    return AssignmentFactory(status="accepted")


@pytest.fixture
def application(assignment):
    return assignment.application


@pytest.fixture
def lead(application):
    return contact_of(application.consortium)


@pytest.fixture
def staff():
    return UserFactory(role="Program staff")


def _page(client, user, application):
    client.force_login(user)
    return client.get(reverse("conversations:conversation", args=[application.pk]))


# ---- Who sees what ------------------------------------------------------------------------------------------------


def test_staff_notes_are_never_shown_to_the_consortium(client, application, lead, staff):
    services.post_message(application=application, by=staff, thread="staff", body="Budget looks padded.")
    services.post_message(application=application, by=staff, thread="consortium", body="Please confirm your partners.")

    staff_html = _page(client, staff, application).content.decode()
    lead_html = _page(client, lead, application).content.decode()

    assert "Budget looks padded." in staff_html and "Please confirm your partners." in staff_html
    assert "Please confirm your partners." in lead_html
    assert "Budget looks padded." not in lead_html and "Staff notes" not in lead_html


@pytest.mark.parametrize("who", ["reader", "other consortium", "applicant of no consortium"])
def test_nobody_else_opens_the_conversation(client, application, assignment, who):
    person = {
        "reader": assignment.reader,
        "other consortium": contact_of(ConsortiumFactory()),
        "applicant of no consortium": UserFactory(role="Applicants"),
    }[who]

    assert _page(client, person, application).status_code == 403


def test_the_consortium_cannot_write_a_staff_note_or_ask_itself_questions(client, application, lead):
    client.force_login(lead)

    note = client.post(reverse("conversations:post", args=[application.pk, "staff"]), {"note-body": "x"})
    ask = client.post(reverse("conversations:ask", args=[application.pk]), {"ask-question": "x"})

    assert (note.status_code, ask.status_code) == (403, 403)
    assert not Message.objects.exists()


def test_readers_see_only_what_staff_share_on_their_review_page(client, application, assignment, lead, staff):
    kept = services.post_message(application=application, by=lead, thread="consortium", body="Our CFO changed.")
    shared = services.post_message(application=application, by=staff, thread="consortium", body="Partner letter came.")
    services.share_with_readers(message=shared, by=staff, shared=True)
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()

    assert "Partner letter came." in html
    assert kept.body not in html


def test_an_empty_message_is_refused_with_a_clear_message(client, application, lead):
    client.force_login(lead)

    response = client.post(reverse("conversations:post", args=[application.pk, "consortium"]), {"message-body": "  "})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode() or "Write the message" in response.content.decode()
    assert not Message.objects.exists()


def test_a_file_is_checked_by_its_content(client, application, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    upload = SimpleUploadedFile("letter.pdf", b"not a pdf at all", content_type="application/pdf")

    response = client.post(
        reverse("conversations:post", args=[application.pk, "consortium"]),
        {"message-body": "The letter.", "message-files": [upload]},
    )

    assert response.status_code == 422
    assert "“letter.pdf” is not a PDF" in response.content.decode()
    assert not Message.objects.exists()


# ---- Clarification requests -------------------------------------------------------------------------------------


def _ask(application, staff, hours=48):
    return services.ask_clarification(
        application=application,
        by=staff,
        question="How many students at Elk Grove?",
        due_at=timezone.now() + timedelta(hours=hours),
    )


def test_an_answer_is_kept_beside_the_snapshot_and_shown_with_it(client, application, assignment, lead, staff):
    submission = application.submissions.get(is_current=True)
    before = checksum(submission.data)
    clarification = _ask(application, staff)
    client.force_login(lead)

    client.post(
        reverse("conversations:answer", args=[clarification.pk]), {f"answer-{clarification.pk}-answer": "About 420."}
    )

    clarification.refresh_from_db()
    assert (clarification.answer, clarification.answered_by) == ("About 420.", lead)
    submission.refresh_from_db()
    assert checksum(submission.data) == before == submission.checksum  # the snapshot never changes
    copy = client.get(reverse("applications:submission", args=[application.pk])).content.decode()
    assert "How many students at Elk Grove?" in copy and "About 420." in copy
    client.force_login(assignment.reader)
    assert "About 420." in client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()


def test_an_answer_after_its_due_time_is_refused_by_the_server(client, application, lead, staff):
    clarification = _ask(application, staff)

    with pytest.raises(Exception, match="The answer was due"):
        services.answer_clarification(
            clarification=clarification, by=lead, answer="Late.", now=clarification.due_at + timedelta(seconds=1)
        )
    Clarification.objects.filter(pk=clarification.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    client.force_login(lead)
    response = client.post(
        reverse("conversations:answer", args=[clarification.pk]), {f"answer-{clarification.pk}-answer": "Late."}
    )
    assert response.status_code == 422
    assert "The answer was due" in response.content.decode()
    assert not Clarification.objects.get(pk=clarification.pk).is_answered


def test_a_question_is_answered_once_and_only_by_the_consortium(application, lead, staff):
    clarification = _ask(application, staff)
    admin = UserFactory(role="Administrators")

    assert not admin.has_perm("conversations.answer_clarification", clarification)
    assert not staff.has_perm("conversations.answer_clarification", clarification)
    services.answer_clarification(clarification=clarification, by=lead, answer="Yes.")
    with pytest.raises(Exception, match="answered once"):
        services.answer_clarification(clarification=clarification, by=lead, answer="Again.")


def test_a_question_must_be_due_later_than_now(application, staff):
    with pytest.raises(Exception, match="due later than now"):
        _ask(application, staff, hours=-1)


# ---- Telling people -------------------------------------------------------------------------------------------------


def test_each_contact_is_emailed_once_per_message_and_sees_it_unread(
    client, application, lead, staff, django_capture_on_commit_callbacks
):
    partner = contact_of(application.consortium, role=Contact.Role.PARTNER)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(application=application, by=staff, thread="consortium", body="Hello.")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, partner.email])
    assert services.notify(message.pk) == 0  # again: nobody is emailed twice
    assert len(mail.outbox) == 2
    lead.refresh_from_db()
    assert lead.unread_messages == 1
    client.force_login(lead)
    assert '1<span class="visually-hidden"> unread</span>' in client.get("/").content.decode()
    client.get(reverse("conversations:conversation", args=[application.pk]))  # read
    lead.refresh_from_db()
    assert lead.unread_messages == 0
    assert Notification.objects.get(user=lead).read_at is not None


def test_the_consortium_writing_first_reaches_program_staff_then_those_who_answered(
    application, lead, staff, django_capture_on_commit_callbacks
):
    other_staff = UserFactory(role="Program staff")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(application=application, by=lead, thread="consortium", body="A question for you.")
    assert {m.to[0] for m in mail.outbox} >= {staff.email, other_staff.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(application=application, by=staff, thread="consortium", body="Answered.")
        services.post_message(application=application, by=lead, thread="consortium", body="Thanks.")
    assert [m.to[0] for m in mail.outbox if "Thanks" in m.body] == [staff.email]


def test_a_daily_digest_instead_of_an_email_each(application, lead, staff, django_capture_on_commit_callbacks):
    services.set_preference(user=lead, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(application=application, by=staff, thread="consortium", body="First.")
        services.post_message(application=application, by=staff, thread="consortium", body="Second.")
    assert mail.outbox == []

    assert services.send_digests() == 1
    assert services.send_digests() == 0
    (digest,) = mail.outbox
    assert digest.to == [lead.email] and "First." in digest.body and "Second." in digest.body
    assert User.objects.get(pk=lead.pk).unread_messages == 2


def test_a_lapsed_question_offers_no_answer_form_and_says_so(client, application, lead, staff):
    clarification = _ask(application, staff)
    Clarification.objects.filter(pk=clarification.pk).update(due_at=timezone.now() - timedelta(hours=1))

    html = _page(client, lead, application).content.decode()

    assert "Send the answer" not in html
    assert "was not answered: write to program staff below" in html


def test_an_unknown_thread_is_not_found(client, application, lead):
    client.force_login(lead)

    assert (
        client.post(reverse("conversations:post", args=[application.pk, "secret"]), {"x-body": "Hi"}).status_code == 404
    )
