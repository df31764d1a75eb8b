from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "modig.lib"
    label = "modig_lib"
    verbose_name = "Modig library"
