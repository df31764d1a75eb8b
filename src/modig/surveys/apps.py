from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "modig.surveys"
    label = "surveys"
    verbose_name = _("Self-assessment surveys")

    def ready(self):
        from modig.organisation.signals import people_merged
        from modig.surveys.merging import move_survey_records

        people_merged.connect(move_survey_records, dispatch_uid="surveys.merge")
