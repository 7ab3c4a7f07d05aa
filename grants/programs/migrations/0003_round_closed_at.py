"""Each round records when its applications closed. Rounds closed already take it from their status history: the
last change to "closed", for rounds that have not gone back to draft or open since."""

from django.db import migrations, models

FIELD = {"blank": True, "editable": False, "null": True, "verbose_name": "applications closed at"}
STILL_OPEN = ("draft", "open")


def closed_at_from_history(apps, schema_editor):
    Round = apps.get_model("programs", "Round")
    StatusChange = apps.get_model("grants", "StatusChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="programs", model="round").first()
    if kind is None:  # a new database: no round yet
        return
    for round_ in Round.objects.exclude(status__in=STILL_OPEN):
        last = (
            StatusChange.objects.filter(content_type=kind, object_id=round_.pk, to_status="closed")
            .order_by("-at", "-pk")
            .first()
        )
        if last is not None:
            Round.objects.filter(pk=round_.pk).update(closed_at=last.at)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_program_360giving_prefix"),
        ("grants", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(model_name="historicalround", name="closed_at", field=models.DateTimeField(**FIELD)),
        migrations.AddField(model_name="round", name="closed_at", field=models.DateTimeField(**FIELD)),
        migrations.RunPython(closed_at_from_history, migrations.RunPython.noop),
    ]
