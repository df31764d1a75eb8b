from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "modig.outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from modig.organisation.signals import people_merged
        from modig.outcomes.figures import forget_improvement_snapshots

        # Merging two people can move a pseudonym: every paired-improvement snapshot is then
        # read live (and rebuilt) next time.
        people_merged.connect(forget_improvement_snapshots, dispatch_uid="outcomes.merge")
