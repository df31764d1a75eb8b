"""Welfare technology and workplace learning pages, under /valfardsteknik/."""

from django.urls import path

from modig.learning import views

app_name = "learning"

urlpatterns = [
    path("valfardsteknik/", views.technology_list, name="technology-list"),
    path("valfardsteknik/ny/", views.technology_form, name="technology-create"),
    path("valfardsteknik/inforanden/", views.introduction_list, name="introduction-list"),
    path("valfardsteknik/inforanden/ny/", views.introduction_form, name="introduction-create"),
    path("valfardsteknik/inforanden/<int:pk>/", views.introduction_detail,
         name="introduction-detail"),
    path("valfardsteknik/uppgifter/<int:pk>/klar/", views.task_done, name="task-done"),
    path("valfardsteknik/material/", views.resource_list, name="resource-list"),
    path("valfardsteknik/material/nytt/", views.resource_form, name="resource-create"),
    path("valfardsteknik/material/<int:pk>/", views.resource_detail, name="resource-detail"),
    path("valfardsteknik/material/<int:pk>/betyg/", views.resource_rate, name="resource-rate"),
    path("arbetsplatslarande/enheter/<int:unit_pk>/<int:year>/", views.plan_page, name="plan"),
    path("arbetsplatslarande/enheter/<int:unit_pk>/<int:year>/starta/", views.plan_start,
         name="plan-start"),
    path("arbetsplatslarande/enheter/<int:unit_pk>/behov/", views.unit_needs,
         name="unit-needs"),
    path("arbetsplatslarande/steg/<int:pk>/", views.step_update, name="step-update"),
    path("valfardsteknik/<slug:code>/", views.technology_detail, name="technology-detail"),
    path("valfardsteknik/<slug:code>/andra/", views.technology_form, name="technology-edit"),
]
