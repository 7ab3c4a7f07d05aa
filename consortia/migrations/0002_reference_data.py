from django.db import migrations

from consortia.california import COUNTIES, DEFAULT_REGIONS
from consortia.roles import Role


def load(apps, schema_editor):
    County = apps.get_model("consortia", "County")
    Region = apps.get_model("consortia", "Region")
    Group = apps.get_model("auth", "Group")
    for name in COUNTIES:
        County.objects.get_or_create(name=name)
    for position, name in enumerate(DEFAULT_REGIONS, start=1):
        Region.objects.get_or_create(name=name, defaults={"position": position})
    for role in Role:
        Group.objects.get_or_create(name=role.value)


class Migration(migrations.Migration):
    dependencies = [("consortia", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
