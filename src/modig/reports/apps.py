from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "modig.reports"
    label = "reports"
    verbose_name = "Reports"
