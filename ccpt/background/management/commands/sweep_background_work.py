from django.core.management.base import BaseCommand

from ...services import health, sweep


class Command(BaseCommand):
    help = (
        "Send again the background work that was never handed to the workers, whose message was lost, whose retry "
        "is due, or whose worker died. Celery beat runs it every few seconds; run it from cron instead if you do "
        "not run beat."
    )

    def handle(self, *args, **options):
        sent = sweep()
        now = health()
        self.stdout.write(
            f"Sent {sent} job{'' if sent == 1 else 's'}. Waiting {now.waiting} (late {now.late}), "
            f"running {now.running} (stalled {now.stalled}), failed {now.failed}."
        )
