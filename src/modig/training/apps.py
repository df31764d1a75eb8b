from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "modig.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from modig.organisation.signals import people_merged
        from modig.training.services import move_training_records

        people_merged.connect(move_training_records, dispatch_uid="training.merge")
        from modig.training import signals

        signals.connect()
