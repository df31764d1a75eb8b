"""Training URLs: importing attendance reports from Teams and Zoom (see urls.py)."""

from django.urls import path

from modig.training import imports_views

urlpatterns = [
    path("utbildning/tillfallen/<int:pk>/moten/<int:meeting_pk>/importera-narvaro/",
         imports_views.attendance_import_upload, name="attendance-import-upload"),
    path("utbildning/narvaroimport/<int:pk>/", imports_views.attendance_import_review,
         name="attendance-import-review"),
]
