"""Each program carries its own 360Giving prefix. Programs that exist already publish under the prefix the whole
site published under until now (CCPT_360G_PREFIX, which ended with the hyphen the export now adds itself)."""

from django.conf import settings
from django.db import migrations, models

import ccpt.lib.identifiers
import grants.programs.models

FIELD = {
    "help_text": "The identifier prefix 360Giving registered for the publisher, e.g. 360G-CDE-CCPT. The 360Giving "
    "export starts each grant's identifier and the funder's with it, so changing it after publishing changes them "
    "all.",
    "max_length": 60,
    "validators": [ccpt.lib.identifiers.validate_360g_prefix],
    "verbose_name": "360Giving prefix",
}


def prefix_as_published(apps, schema_editor):
    prefix = settings.CCPT_360G_PREFIX.strip().rstrip("-")
    for model in ("Program", "HistoricalProgram"):
        apps.get_model("programs", model).objects.update(threesixtygiving_prefix=prefix)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name="threesixtygiving_prefix",
                field=models.CharField(default="", **FIELD),
                preserve_default=False,
            )
            for model in ("historicalprogram", "program")
        ),
        migrations.RunPython(prefix_as_published, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=model,
                name="threesixtygiving_prefix",
                field=models.CharField(default=grants.programs.models.default_360g_prefix, **FIELD),
            )
            for model in ("historicalprogram", "program")
        ),
    ]
