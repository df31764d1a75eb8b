"""Training pages, in Swedish paths under /utbildning/. One module per part of the app so that
each part's routes are found next to its views."""

from django.urls import include, path

from modig.training import attendance_urls, catalogue_urls, grouping_urls, imports_urls

app_name = "training"

urlpatterns = [
    path("", include(catalogue_urls)),
    path("", include(attendance_urls)),
    path("", include(grouping_urls)),
    path("", include(imports_urls)),
]
