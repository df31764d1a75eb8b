from django.db import migrations


def load(apps, schema_editor):
    from modig.surveys.questionnaires import load_default_questionnaires

    load_default_questionnaires(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("competence", "0002_digcomp"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
