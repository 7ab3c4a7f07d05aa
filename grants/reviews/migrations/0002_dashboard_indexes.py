"""Indexes the score dashboard reads (grants/reviews/services/ranking.py): whether reviews or assignments changed
after the last scoring (changed_since) and when the round was last scored (last_computed) are then index lookups,
not scans of every review and assignment."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="applicationscore",
            index=models.Index(fields=["round", "computed_at"], name="score_round_computed_at"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["ended_at"], name="assignment_ended_at"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["updated_at"], name="review_updated_at"),
        ),
    ]
