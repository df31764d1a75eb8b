from django.db import migrations


def load(apps, schema_editor):
    from modig.surveys.questionnaires import add_default_follow_up_items

    add_default_follow_up_items(apps)


class Migration(migrations.Migration):
    """The default questionnaires' follow-up items, as a new version of each (the versions
    rounds already use stay as they are)."""

    dependencies = [
        ("surveys", "0005_follow_up_items"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
