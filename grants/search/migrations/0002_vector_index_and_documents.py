"""The GIN index on the documents' tsvectors (PostgreSQL only: SQLite has no such index and no vectors), and a
document for every application already there. Safe to run again (`manage.py rebuild_search_index` does the
same rebuild)."""

from django.db import migrations

INDEX = "search_document_vector"
TABLE = "search_searchdocument"


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (vector)")


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill(apps, schema_editor):
    from grants.search.services.index import rebuild

    rebuild(get_model=apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("consortia", "0004_move_official_codes"),
        ("programs", "0005_round_opened_at"),
    ]

    operations = [
        migrations.RunPython(gin_index, drop_gin_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
