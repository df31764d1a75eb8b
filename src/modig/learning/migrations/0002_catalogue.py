from django.db import migrations


def load(apps, schema_editor):
    from modig.learning.reference import load_catalogue

    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial"), ("competence", "0002_digcomp")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
