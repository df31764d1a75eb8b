"""`modig load-default-questionnaires`: create the default questionnaires that are missing.

The data migrations do this on a new database (version 1, then the version with the
follow-up items); the command is for a database where someone
removed an unused default, or after the default framework was loaded late.
"""

from django.core.management.base import BaseCommand

from modig.surveys.questionnaires import (
    add_default_follow_up_items,
    load_default_questionnaires,
)


class Command(BaseCommand):
    help = "Create the default self-assessment questionnaires that do not exist yet."

    def handle(self, *args, **options):
        created = load_default_questionnaires()
        # Then the version with the follow-up items, where the latest version lacks them.
        created += add_default_follow_up_items()
        if not created:
            self.stdout.write("The default questionnaires already exist; nothing changed.")
        for questionnaire in created:
            self.stdout.write(
                f"Created {questionnaire.code} v{questionnaire.version} "
                f"with {questionnaire.items.count()} items."
            )
