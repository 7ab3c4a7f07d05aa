"""What readers are told by email: the applications they were asked to read, and reminders of reviews due."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import start_of_day
from ccpt.lib.text import plural
from consortia.models import User
from grants.applications.models import Application, long_texts
from grants.programs.models import Round

from ..models import Assignment, Review

REMINDER_WINDOW = timedelta(days=3)


def _workspace_link() -> str:
    """The reader's queue in the review workspace."""
    return settings.SITE_URL + reverse("reviews:reviews")


def notify_on_commit(chosen: dict[int, list[int]]) -> None:
    batch = {reader_id: list(app_ids) for reader_id, app_ids in chosen.items()}
    transaction.on_commit(lambda: notify_assigned(chosen=batch), robust=True)


def notify_assigned(*, chosen: dict[int, list[int]]) -> int:
    """Tell each reader which applications they were asked to read: one message per reader."""
    readers = User.objects.in_bulk(list(chosen))
    apps = Application.objects.select_related("round", "consortium").in_bulk(
        [app_id for app_ids in chosen.values() for app_id in app_ids]
    )
    messages = []
    for reader_id, app_ids in sorted(chosen.items()):
        reader = readers[reader_id]
        applications = sorted((apps[a] for a in app_ids), key=lambda a: a.number)
        context = {"reader": reader, "applications": applications, "link": _workspace_link()}
        count = plural(len(applications), "application", "applications")
        messages.append(
            EmailMessage(
                subject=f"CCPT Grants: you are asked to read {count}",
                body=render_to_string("reviews/emails/review_assigned.txt", context),
                to=[reader.email],
            )
        )
    return get_connection().send_messages(messages) or 0


def due_for_reminder(*, now: datetime):
    """Active assignments with an unfinished review, in rounds in review, due within 3 days or overdue (by the
    assignment's own due date when staff extended it, else the round's), not yet reminded today (Pacific time)."""
    return (
        Assignment.objects.active()
        .with_due()
        .filter(
            application__status=Application.Status.SUBMITTED,
            application__round__status=Round.Status.IN_REVIEW,
            due__lte=now + REMINDER_WINDOW,
        )
        .exclude(review__status=Review.Status.SUBMITTED)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=start_of_day(now)))
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """Email each reader with reviews due soon or overdue, at most once a day per assignment.

    Returns how many messages were sent. Each reader's assignments are claimed and mailed in one transaction:
    a failed send rolls the claim back, so that the next run sends it; a concurrent run skips locked rows.
    """
    now = now or timezone.now()
    sent = 0
    for reader_id in sorted(set(due_for_reminder(now=now).values_list("reader_id", flat=True))):
        with transaction.atomic():
            due = list(
                due_for_reminder(now=now)
                .filter(reader_id=reader_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("reader", "application__round", "application__consortium")
                .defer(*long_texts("application__"))
                .order_by("due", "application__number")
            )
            if not due:
                continue
            Assignment.objects.filter(pk__in=[a.pk for a in due]).update(last_reminded_at=now)
            reader = due[0].reader
            context = {"reader": reader, "assignments": due, "now": now, "link": _workspace_link()}
            overdue = any(a.due < now for a in due)
            count = plural(len(due), "review", "reviews")
            EmailMessage(
                subject=f"CCPT Grants: {count} {'overdue' if overdue else 'due soon'}",
                body=render_to_string("reviews/emails/review_reminder.txt", context),
                to=[reader.email],
            ).send()
            sent += 1
    return sent
