from django.urls import path  # noqa: F401 - routes are added with the registry pages

app_name = "organisation"

urlpatterns: list = []
