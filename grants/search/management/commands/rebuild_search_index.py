from django.core.management.base import BaseCommand

from grants.search.services.index import rebuild


class Command(BaseCommand):
    help = "Rebuild every application's search document (text and, on PostgreSQL, its tsvector). Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild()} applications.")
