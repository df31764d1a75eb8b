from django.urls import path

from modig.reports import participant_views

app_name = "reports"

urlpatterns = [
    path("rapporter/<int:programme_pk>/esf/deltagare/", participant_views.participant_months,
         name="participant-months"),
    path("rapporter/<int:programme_pk>/esf/deltagare/generera/",
         participant_views.participant_regenerate, name="participant-regenerate"),
    path("rapporter/esf/deltagare/fil/<int:pk>.<str:file_format>",
         participant_views.participant_download, name="participant-download"),
]
