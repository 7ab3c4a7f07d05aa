"""What staff and a consortium say to each other about an application, and what staff say among themselves.

Each application has two threads: the conversation with the consortium's contacts, and staff notes, which applicants
never see. Readers see neither, except the messages staff share with them. A clarification request is a question
staff ask in the conversation, with a due time; the consortium's answer is kept beside the frozen submitted
application (never in it), shown to readers with the application and printed with it.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from ccpt.lib.once import click_token_field
from grants.applications.models import Application


class Clarification(models.Model):
    """A question staff ask about a submitted application, due by a time; the consortium answers it once."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    due_at = models.DateTimeField("answer due")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    click_token = click_token_field()

    class Meta:
        ordering = ["application_id", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer=""))
                | (Q(answered_at__isnull=False) & ~Q(answer="") & Q(answered_by__isnull=False)),
                name="clarification_answer_complete",
                violation_error_message="An answer has its text, who gave it and when.",
            )
        ]

    def __str__(self):
        return f"Clarification on {self.application.number}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Message(models.Model):
    class Thread(models.TextChoices):
        CONSORTIUM = "consortium", "Conversation with the consortium"
        STAFF = "staff", "Staff notes"

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        QUESTION = "question", "Clarification request"
        ANSWER = "answer", "Answer to a clarification request"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    thread = models.CharField(max_length=12, choices=Thread.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    clarification = models.ForeignKey(
        Clarification, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Who wrote it: program staff, or the consortium (its contacts); the other side is told of it.
    from_staff = models.BooleanField()
    # Staff may share a message with the application's readers (it then shows on their review page).
    shared_with_readers = models.BooleanField(default=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    click_token = click_token_field()

    class Meta:
        ordering = ["application_id", "created_at", "pk"]
        indexes = [models.Index(fields=["application", "thread", "created_at"], name="message_thread_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(thread="consortium") | Q(kind="message"), name="message_staff_notes_are_plain_messages"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.application.number} by {self.author}"


def message_file_path(instance: "MessageFile", filename: str) -> str:
    # A random name: the original is kept in the record, never trusted as a path.
    return f"messages/{instance.message.application_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class MessageFile(models.Model):
    """A file attached to a message, checked by content as an application's attachments are."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=message_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["message_id", "pk"]

    def __str__(self):
        return self.original_name


class Notification(models.Model):
    """A message in one person's inbox: recorded once per message and person (the unique constraint), emailed in the
    same transaction that records it, or kept for the person's daily digest; read when they open the application's
    conversation. The person's count of unread ones (User.unread_messages) is kept with it, so that the navigation
    shows it without a query of its own."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="notification_once_per_person")]
        indexes = [
            models.Index(fields=["digest", "sent_at"], name="notification_digest_waiting"),
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.message} for {self.user}"


class Preference(models.Model):
    """How a person wants to hear of new messages: one email each (the default), or a daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference")
    daily_digest = models.BooleanField("one email a day with every new message", default=False)

    def __str__(self):
        return f"{self.user}: {'daily digest' if self.daily_digest else 'an email each'}"
