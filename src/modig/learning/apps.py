from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "modig.learning"
    label = "learning"
    verbose_name = _("Workplace learning")

    def ready(self):
        from modig.organisation.signals import staff_joined_units

        staff_joined_units.connect(_welcome, dispatch_uid="learning.newcomers")


def _welcome(sender, employment_ids, **kwargs):
    from modig.learning.services import welcome_newcomers

    welcome_newcomers(employment_ids)
