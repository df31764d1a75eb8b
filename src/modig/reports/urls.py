from django.urls import path

from modig.reports import cofinancing_views, final_views, participant_views, time_views

app_name = "reports"

urlpatterns = [
    path("rapporter/<int:programme_pk>/esf/deltagare/", participant_views.participant_months,
         name="participant-months"),
    path("rapporter/<int:programme_pk>/esf/deltagare/generera/",
         participant_views.participant_regenerate, name="participant-regenerate"),
    path("rapporter/esf/deltagare/fil/<int:pk>.<str:file_format>",
         participant_views.participant_download, name="participant-download"),
]

urlpatterns += [
    path("rapporter/<int:programme_pk>/tid/", time_views.time_report, name="time-report"),
    path("rapporter/<int:programme_pk>/tid/<int:unit_pk>/<str:month>.<str:file_format>",
         time_views.time_report_file, name="time-report-file"),
]

urlpatterns += [
    path("rapporter/<int:programme_pk>/esf/enhetskostnad/", cofinancing_views.unit_costs,
         name="unit-costs"),
    path("rapporter/<int:programme_pk>/esf/medfinansiering/", cofinancing_views.cofinancing_page,
         name="cofinancing"),
    path("rapporter/<int:programme_pk>/esf/medfinansiering.xlsx",
         cofinancing_views.cofinancing_xlsx, name="cofinancing-xlsx"),
]

urlpatterns += [
    path("rapporter/<int:programme_pk>/slutrapport/", final_views.final_report_page,
         name="final-report"),
    path("rapporter/<int:programme_pk>/slutrapport.pdf", final_views.final_report_pdf,
         name="final-report-pdf"),
    path("rapporter/<int:programme_pk>/utvardering.zip", final_views.evaluator_extract,
         name="evaluator-extract"),
]
