"""The shared cache's table (settings.CACHES: a DatabaseCache by default), so that no deployment step is forgotten.

`createcachetable` creates the table of every DatabaseCache in CACHES that does not exist yet and does nothing
otherwise; with CACHE_URL=redis://... it has nothing to do. After changing CACHE_URL to another table, run
`manage.py createcachetable` once.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
