"""An application's long texts (summary, need statement, labor market, target group, budget narratives) kept out of
its row, in PostgreSQL's TOAST table, so that a row holds only the short columns lists read.

By default PostgreSQL moves a value out of line only when the row passes ~2 kB; a typical application row stayed
~4 kB, one or two rows per 8 kB page, and every page that reads a round's applications (the conflicts page, the
score dashboard, the funding plan, the CSV exports) read 15 MB at 2,000 applications to use a few columns. With
toast_tuple_target at its minimum the row keeps ~200 bytes: the same read touches ~0.5 MB. Reading one
application whole (its page) costs a lookup per long text, which is nothing beside a page.

VACUUM FULL rewrites the rows already there (new and updated rows follow the setting by themselves); it locks the
table while it runs, a few seconds at 10,000 applications. It cannot run in a transaction, hence atomic = False.
Other databases (SQLite in tests) have no such setting: nothing to do.
"""

from django.db import migrations

TABLE = "applications_application"


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
    schema_editor.execute(f"VACUUM FULL {TABLE}")


def back_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(out_of_line, back_inline)]
