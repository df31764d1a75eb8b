from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "modig.ambassadors"
    label = "ambassadors"
    verbose_name = _("Digital ambassadors")

    def ready(self):
        from modig.ambassadors.ledger_source import COACHING_SOURCE, coached_on_technology
        from modig.ambassadors.services import move_coaching_records
        from modig.ambassadors.signals import connect
        from modig.learning.queries import register_technology_training
        from modig.organisation.signals import people_merged
        from modig.training.ledger import register_source

        register_source(COACHING_SOURCE)
        register_technology_training(coached_on_technology)
        connect()  # coaching changes bump the ledger's change counter
        people_merged.connect(move_coaching_records, dispatch_uid="ambassadors.merge")
