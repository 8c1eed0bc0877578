from django.db import migrations

from jigai.core import reference


def load(apps, schema_editor):
    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
