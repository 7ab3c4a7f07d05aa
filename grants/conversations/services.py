"""Writing in an application's threads, asking and answering clarification requests, and telling people of it.

A new message is in the inbox of each person on the other side (or, for staff notes, of the other staff who wrote on
the application): recorded once per message and person, emailed at once or kept for their daily digest, through
the background work recorded in the same transaction as the message (`later`). Opening the conversation reads it.
"""

from collections import defaultdict
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.dates import format_datetime
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from ccpt.lib.text import plural
from consortia.models import Contact, User
from consortia.roles import Role
from grants.applications.models import Application
from grants.applications.services.attachments import checked_upload

from .models import Clarification, Message, MessageFile, Notification, Preference

T, K = Message.Thread, Message.Kind
NOTIFY = "grants.conversations.tasks.notify"
MAX_BODY = 20_000


def _text(body: str, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Refusal(f"Write the {what} first: it is empty.", errors={"body": f"Write the {what}."})
    if len(body) > MAX_BODY:
        raise Refusal(
            f"The {what} is {len(body):,} characters; the limit is {MAX_BODY:,}. Attach a file for longer text.",
            errors={"body": f"At most {MAX_BODY:,} characters."},
        )
    return body


def _checked_files(uploads) -> list[tuple]:
    """Each upload with its detected type and SHA-256 (checked_upload), or a Refusal naming what is wrong with one."""
    return [(upload, *checked_upload(upload, field="files")) for upload in uploads]


def _add(application, *, thread, kind, by, body, files=(), clarification=None, click=None) -> Message:
    checked = _checked_files(files)
    message = Message.objects.create(
        application=application,
        thread=thread,
        kind=kind,
        clarification=clarification,
        author=by,
        body=body,
        from_staff=by.is_program_staff,
        click_token=click or None,
    )
    for upload, content_type, sha256 in checked:
        MessageFile.objects.create(
            message=message,
            file=upload,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
        )
    later(NOTIFY, message.pk)
    return message


def _once(click: str | None):
    if click and (done := Message.objects.filter(click_token=click).first()):
        raise AlreadyDone("That was sent already; the same form arrived twice.", done=done)


@transaction.atomic
def post_message(*, application: Application, by, thread: str, body: str, files=(), click=None) -> Message:
    """A message in one of the application's threads: staff write in both, the consortium's contacts to staff."""
    if thread == T.STAFF:
        authorize(by, "conversations.use_staff_notes", application)
    elif not (
        by.has_perm("conversations.write_to_consortium", application)
        or by.has_perm("conversations.write_to_staff", application)
    ):
        authorize(by, "conversations.write_to_staff", application)
    Application.objects.select_for_update().get(pk=application.pk)
    _once(click)
    return _add(
        application, thread=thread, kind=K.MESSAGE, by=by, body=_text(body, "message"), files=files, click=click
    )


@transaction.atomic
def share_with_readers(*, message: Message, by, shared: bool) -> Message:
    authorize(by, "conversations.share_with_readers", message.application)
    message.shared_with_readers = shared
    message.shared_by = by if shared else None
    message.save(update_fields=["shared_with_readers", "shared_by"])
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=message.application,
        summary=f"A message of {format_datetime(message.created_at)} "
        + ("shared with" if shared else "no longer shared with")
        + " the application's readers",
    )
    return message


@transaction.atomic
def ask_clarification(*, application: Application, by, question: str, due_at: datetime, click=None) -> Clarification:
    """Staff ask the consortium a question about its submitted application, to be answered by `due_at`."""
    authorize(by, "conversations.ask_clarification", application)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if click and (done := Clarification.objects.filter(click_token=click).first()):
        raise AlreadyDone("That question was asked already; the same form arrived twice.", done=done)
    errors = {}
    if locked.status != Application.Status.SUBMITTED:
        raise Refusal(f"{locked.number} is {locked.get_status_display().lower()}: ask about submitted applications.")
    question = (question or "").strip()
    if not question:
        errors["question"] = "Write the question."
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = "The answer must be due later than now."
    if errors:
        raise Refusal("The question was not sent: " + " ".join(errors.values()), errors=errors)
    clarification = Clarification.objects.create(
        application=locked, question=question, due_at=due_at, asked_by=by, click_token=click or None
    )
    _add(locked, thread=T.CONSORTIUM, kind=K.QUESTION, by=by, body=question, clarification=clarification)
    record(
        Event.Action.STATUS_CHANGE,
        by=by,
        obj=locked,
        summary=f"Clarification requested, answer due {format_datetime(due_at)}",
    )
    return clarification


@transaction.atomic
def answer_clarification(
    *, clarification: Clarification, by, answer: str, now: datetime | None = None
) -> Clarification:
    """The consortium answers, once, by the due time (enforced here); the answer is kept beside the submitted
    application, never in its frozen snapshot."""
    locked = Clarification.objects.select_for_update().select_related("application").get(pk=clarification.pk)
    now = now or timezone.now()
    if locked.is_answered:
        raise Refusal(f"This question was answered on {format_datetime(locked.answered_at)}; it is answered once.")
    authorize(by, "conversations.answer_clarification", locked)
    if now > locked.due_at:
        raise Refusal(
            f"The answer was due {format_datetime(locked.due_at)}; it can no longer be sent here. Write to program "
            "staff in the conversation if you need more time."
        )
    locked.answer = _text(answer, "answer")
    locked.answered_by, locked.answered_at = by, now
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    _add(locked.application, thread=T.CONSORTIUM, kind=K.ANSWER, by=by, body=locked.answer, clarification=locked)
    record(Event.Action.STATUS_CHANGE, by=by, obj=locked.application, summary="Clarification request answered")
    return locked


def answered_clarifications(application: Application) -> list[Clarification]:
    """What readers and the printed record show beside the submitted application."""
    return list(
        Clarification.objects.filter(application=application, answered_at__isnull=False)
        .select_related("asked_by", "answered_by")
        .order_by("asked_at")
    )


def shared_messages(application: Application) -> list[Message]:
    return list(
        Message.objects.filter(application=application, shared_with_readers=True)
        .select_related("author")
        .prefetch_related("files")
        .order_by("created_at")
    )


# ---- Inboxes ---------------------------------------------------------------------------------------------------


def recipients_of(message: Message) -> list[User]:
    """Who is told of a message: the consortium's contacts when staff write to it; when the consortium writes, the
    staff who wrote in the application's conversation (all program staff when none has yet); for a staff note, the
    other staff who wrote notes on it. Never its author; active people only."""
    application = message.application
    if message.thread == T.CONSORTIUM and message.from_staff:
        people = User.objects.filter(
            pk__in=Contact.objects.filter(consortium_id=application.consortium_id).values("user_id")
        )
    else:
        thread = T.CONSORTIUM if message.thread == T.CONSORTIUM else T.STAFF
        writers = Message.objects.filter(application=application, thread=thread, from_staff=True).values("author_id")
        people = User.objects.filter(pk__in=writers)
        if message.thread == T.CONSORTIUM and not people.exclude(pk=message.author_id).exists():
            people = User.objects.filter(groups__name__in=[Role.PROGRAM_STAFF, Role.ADMINISTRATOR]).distinct()
    return list(people.filter(is_active=True).exclude(pk=message.author_id).order_by("pk"))


def notify(message_id: int) -> int:
    """The message into each recipient's inbox, once; emailed now unless they take a daily digest. A failed email
    rolls back that person's entry, for the next attempt; the ones done stay done. How many were emailed."""
    message = Message.objects.select_related("application__consortium", "author").get(pk=message_id)
    digests = set(Preference.objects.filter(daily_digest=True).values_list("user_id", flat=True))
    sent = 0
    for person in recipients_of(message):
        with transaction.atomic():
            if Notification.objects.filter(message=message, user=person).exists():
                continue
            digest = person.pk in digests
            Notification.objects.create(
                message=message, user=person, digest=digest, sent_at=None if digest else timezone.now()
            )
            User.objects.filter(pk=person.pk).update(unread_messages=F("unread_messages") + 1)
            if not digest:
                _email([message], person).send()
                sent += 1
    return sent


def _email(messages: list[Message], person: User) -> EmailMessage:
    first = messages[0]
    link = settings.SITE_URL + reverse("conversations:conversation", args=[first.application_id])
    subject = (
        f"CCPT Grants: {first.get_kind_display().lower()} on {first.application.number}"
        if len(messages) == 1
        else f"CCPT Grants: {plural(len(messages), 'new message')} about applications"
    )
    body = render_to_string(
        "conversations/emails/messages.txt",
        {"person": person, "messages": messages, "link": link, "site": settings.SITE_URL},
    )
    return EmailMessage(subject=subject, body=body, to=[person.email])


def send_digests() -> int:
    """Each person's waiting messages in one email (daily, by Celery beat); how many emails were sent."""
    waiting = defaultdict(list)
    for notification in (
        Notification.objects.filter(digest=True, sent_at__isnull=True)
        .select_related("user", "message__application", "message__author")
        .order_by("user_id", "message__created_at")
    ):
        waiting[notification.user].append(notification)
    sent = 0
    for person, notifications in waiting.items():
        with transaction.atomic():
            claimed = Notification.objects.select_for_update(skip_locked=True).filter(
                pk__in=[n.pk for n in notifications], sent_at__isnull=True
            )
            ids = list(claimed.values_list("pk", flat=True))
            if not ids:
                continue
            Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now())
            _email([n.message for n in notifications if n.pk in ids], person).send()
            sent += 1
    return sent


@transaction.atomic
def mark_read(*, application: Application, user) -> int:
    """The person opened the application's conversation: what was in their inbox from it is read."""
    unread = Notification.objects.filter(user=user, message__application=application, read_at__isnull=True)
    count = unread.update(read_at=timezone.now())
    if count:
        User.objects.filter(pk=user.pk, unread_messages__gte=count).update(unread_messages=F("unread_messages") - count)
        user.unread_messages = max(0, user.unread_messages - count)
    return count


def inbox(user, limit: int = 30) -> list[Notification]:
    """The person's messages, unread first, newest first."""
    return list(
        Notification.objects.filter(user=user)
        .select_related("message__application__consortium", "message__author")
        .order_by(F("read_at").asc(nulls_first=True), "-message__created_at")[:limit]
    )


@transaction.atomic
def set_preference(*, user, daily_digest: bool) -> Preference:
    preference, _ = Preference.objects.update_or_create(user=user, defaults={"daily_digest": daily_digest})
    return preference
