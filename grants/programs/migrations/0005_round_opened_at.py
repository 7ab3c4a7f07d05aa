"""Each round records when it opened for applications from draft. Rounds past draft take it from their status
history: the last change from "draft" to "open"."""

from django.db import migrations, models

FIELD = {"blank": True, "editable": False, "null": True, "verbose_name": "opened for applications at"}


def opened_at_from_history(apps, schema_editor):
    Round = apps.get_model("programs", "Round")
    StatusChange = apps.get_model("grants", "StatusChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="programs", model="round").first()
    if kind is None:  # a new database: no round yet
        return
    for round_ in Round.objects.exclude(status="draft"):
        last = (
            StatusChange.objects.filter(content_type=kind, object_id=round_.pk, from_status="draft", to_status="open")
            .order_by("-at", "-pk")
            .first()
        )
        if last is not None:
            Round.objects.filter(pk=round_.pk).update(opened_at=last.at)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_order_within_parent_by_column"),
        ("grants", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(model_name="historicalround", name="opened_at", field=models.DateTimeField(**FIELD)),
        migrations.AddField(model_name="round", name="opened_at", field=models.DateTimeField(**FIELD)),
        migrations.RunPython(opened_at_from_history, migrations.RunPython.noop),
    ]
