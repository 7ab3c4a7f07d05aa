"""The failed screening checks staff have not overridden, per submission, as a small partial index: the submissions
list and its CSV count them for every application (filters.submission_rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_application_text_out_of_line"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="screeningcheck",
            index=models.Index(
                condition=models.Q(("overridden_at__isnull", True), ("passed", False)),
                fields=["submission"],
                name="check_failing",
            ),
        ),
    ]
