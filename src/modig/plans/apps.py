from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "modig.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from modig.organisation.signals import people_merged
        from modig.plans.services import move_routine_changes

        people_merged.connect(move_routine_changes, dispatch_uid="plans.merge")
