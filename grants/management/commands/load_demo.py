from django.core.management.base import BaseCommand

from grants import demo


class Command(BaseCommand):
    help = "Load the demo program, rounds, consortia and one user per role. Safe to run again."

    def handle(self, *args, **options):
        loaded = demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(loaded['consortia'])} consortia, {len(loaded['rounds'])} rounds, "
                f"program {loaded['program']}."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for email, _first, _last, role in demo.DEMO_USERS:
            self.stdout.write(f"  {role.label:<22} {email}")
