"""Action plans and the managers' change log, under /handlingsplaner/."""

from django.urls import path

from modig.plans import views

app_name = "plans"

urlpatterns = [
    path("handlingsplaner/rutiner/", views.change_list, name="change-list"),
    path("handlingsplaner/rutiner/ny/", views.change_create, name="change-create"),
]
