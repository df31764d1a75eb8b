"""Training URLs: roll call, check-in, a person's own training records and certificates, and a
manager's view of their staff (see urls.py). The check-in addresses are short (`/i/`) because
people type them on a phone."""

from django.urls import path

from modig.training import attendance_views, records_views

urlpatterns = [
    path("utbildning/upprop/", attendance_views.roll_call_list, name="roll-call-list"),
    path("utbildning/tillfallen/<int:pk>/moten/<int:meeting_pk>/upprop/",
         attendance_views.meeting_roll_call, name="meeting-roll-call"),
    path("utbildning/tillfallen/<int:pk>/moten/<int:meeting_pk>/upprop/lagg-till/",
         attendance_views.meeting_walk_in, name="meeting-walk-in"),
    path("utbildning/tillfallen/<int:pk>/moten/<int:meeting_pk>/incheckning/",
         attendance_views.meeting_check_in_code, name="meeting-check-in-code"),
    path("i/", attendance_views.check_in_page, name="check-in"),
    path("i/<str:code>/", attendance_views.check_in_link, name="check-in-link"),
    path("utbildning/min-utbildning/", records_views.my_training, name="my-training"),
    path("utbildning/min-utbildning/tillfallen/<int:pk>/intyga/",
         records_views.session_certify, name="session-certify"),
    path("utbildning/min-utbildning/intyg/<slug:code>.pdf", records_views.certificate,
         name="certificate"),
    path("utbildning/kurser/<slug:code>/klar/", records_views.course_completion,
         name="course-completion"),
    path("utbildning/personal/", records_views.staff_training, name="staff-training"),
    path("utbildning/personal/<int:pk>/", records_views.staff_person_training,
         name="staff-person-training"),
]
