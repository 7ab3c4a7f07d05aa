import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from grants import backup


class Command(BaseCommand):
    help = (
        "Print what a restored backup is checked against: the number of each kind of record, the money drawn from "
        "the set-aside, and attachments whose file is missing. Run it on the live database and on the restored one; "
        "the figures must match."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
        parser.add_argument(
            "--skip-files", action="store_true", help="do not look for the attachments' files (a database-only check)"
        )

    def handle(self, *args, **options):
        figures = backup.counts()
        missing = [] if options["skip_files"] else backup.missing_files()
        if options["json"]:
            self.stdout.write(json.dumps({**figures, "attachment files missing": len(missing)}, sort_keys=True))
        else:
            self.stdout.write(f"Database {connection.settings_dict['NAME']}:")
            for label, value in figures.items():
                self.stdout.write(f"  {label:<24} {value}")
            if not options["skip_files"]:
                self.stdout.write(f"  {'attachment files missing':<24} {len(missing)}")
                for name in missing[:20]:
                    self.stdout.write(f"    {name}")
        if missing:
            raise CommandError(f"{len(missing)} attachment file(s) missing from the media storage.")
