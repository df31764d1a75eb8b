from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "modig.demo"
    label = "demo"
    verbose_name = "Demo region"
