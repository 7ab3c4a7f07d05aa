"""Each computed score carries how many applications of its round, and of its funding category, are ranked. Scores
computed before take them from the ranks already written (ranks run 1..n in each)."""

from django.db import migrations, models
from django.db.models import Count


def counts_from_ranks(apps, schema_editor):
    ApplicationScore = apps.get_model("reviews", "ApplicationScore")
    ranked = ApplicationScore.objects.filter(rank__isnull=False)
    for round_id, n in ranked.values_list("round_id").annotate(n=Count("pk")).order_by():
        ApplicationScore.objects.filter(round_id=round_id).update(ranked_in_round=n)
    by_category = ranked.values_list("round_id", "application__category_id").annotate(n=Count("pk")).order_by()
    for round_id, category_id, n in by_category:
        ApplicationScore.objects.filter(round_id=round_id, application__category_id=category_id).update(
            ranked_in_category=n
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_dashboard_indexes"),
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationscore", name="ranked_in_category", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="applicationscore", name="ranked_in_round", field=models.PositiveIntegerField(default=0)
        ),
        migrations.RunPython(counts_from_ranks, migrations.RunPython.noop),
    ]
