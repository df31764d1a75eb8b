"""URLs of the outcomes app (Swedish paths: /resultat/)."""

from django.urls import path

from modig.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("resultat/", views.index, name="index"),
    path("resultat/program/", views.programme_dashboard, name="programme"),
    path("resultat/kommun/<str:code>/", views.municipality_dashboard, name="municipality"),
    path("resultat/enhet/<int:pk>/", views.unit_dashboard, name="unit"),
    path("resultat/definitioner/", views.definitions, name="definitions"),
    path("resultat/underlag/", views.records, name="records"),
]
