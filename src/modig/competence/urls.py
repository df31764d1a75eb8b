"""Competence framework pages, in Swedish paths under /kompetens/ramverk/."""

from django.urls import path

from modig.competence import views

app_name = "competence"

urlpatterns = [
    path("kompetens/ramverk/", views.framework_list, name="framework-list"),
    path("kompetens/ramverk/nytt/", views.framework_form, name="framework-create"),
    path("kompetens/ramverk/importera/", views.framework_import, name="framework-import"),
    path("kompetens/ramverk/<slug:code>/", views.framework_detail, name="framework-detail"),
    path("kompetens/ramverk/<slug:code>/andra/", views.framework_form, name="framework-edit"),
    path("kompetens/ramverk/<slug:code>/ta-bort/", views.framework_delete,
         name="framework-delete"),
    path("kompetens/ramverk/<slug:code>/export.csv", views.framework_export,
         name="framework-export"),
    path("kompetens/ramverk/<slug:code>/nytt-omrade/", views.area_form, name="area-create"),
    path("kompetens/ramverk/<slug:code>/omraden/<int:pk>/andra/", views.area_form,
         name="area-edit"),
    path("kompetens/ramverk/<slug:code>/omraden/<int:pk>/ta-bort/", views.area_delete,
         name="area-delete"),
    path("kompetens/ramverk/<slug:code>/ny-kompetens/", views.competence_form,
         name="competence-create"),
    path("kompetens/ramverk/<slug:code>/kompetenser/<int:pk>/andra/", views.competence_form,
         name="competence-edit"),
    path("kompetens/ramverk/<slug:code>/kompetenser/<int:pk>/ta-bort/",
         views.competence_delete, name="competence-delete"),
]
