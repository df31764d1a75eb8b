from django.urls import path

from modig.roster import views

app_name = "roster"

urlpatterns = [
    path("personallista/", views.import_list, name="import-list"),
    path("personallista/ladda-upp/", views.import_upload, name="import-upload"),
    path("personallista/<int:pk>/", views.import_detail, name="import-detail"),
    path("personallista/<int:pk>/kolumner/", views.import_mapping, name="import-mapping"),
    path("personallista/<int:pk>/nya-enheter/", views.import_units, name="import-units"),
    path("personallista/<int:pk>/spara/", views.import_commit, name="import-commit"),
]
