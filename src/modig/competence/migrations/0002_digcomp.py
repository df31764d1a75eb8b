from django.db import migrations


def load(apps, schema_editor):
    from modig.competence.reference import load_digcomp

    load_digcomp(apps)


class Migration(migrations.Migration):
    dependencies = [("competence", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
