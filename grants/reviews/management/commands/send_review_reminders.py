from django.core.management.base import BaseCommand

from ...services.emails import send_reminders


class Command(BaseCommand):
    help = (
        "Email readers whose reviews are due within 3 days or overdue (rounds in review), at most once a day per "
        "assignment. Run it daily from cron, or let Celery beat run grants.tasks.send_review_reminders."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
