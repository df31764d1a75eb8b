"""Training URLs: the catalogue, sessions, enrolment and calendar files, under /utbildning/
(see urls.py)."""

from django.urls import path

from modig.training import catalogue_views as views

urlpatterns = [
    path("utbildning/", views.course_list, name="course-list"),
    path("utbildning/kurser/ny/", views.course_form, name="course-create"),
    path("utbildning/kurser/<slug:code>/", views.course_detail, name="course-detail"),
    path("utbildning/kurser/<slug:code>/andra/", views.course_form, name="course-edit"),
    path("utbildning/kurser/<slug:code>/nytt-tillfalle/", views.session_form,
         name="session-create"),
    path("utbildning/tillfallen/<int:pk>/", views.session_detail, name="session-detail"),
    path("utbildning/tillfallen/<int:pk>/andra/", views.session_form, name="session-edit"),
    path("utbildning/tillfallen/<int:pk>/stall-in/", views.session_cancel,
         name="session-cancel"),
    path("utbildning/tillfallen/<int:pk>/kalender.ics", views.session_ics, name="session-ics"),
    path("utbildning/tillfallen/<int:pk>/anmal-mig/", views.session_enrol_self,
         name="session-enrol-self"),
    path("utbildning/tillfallen/<int:pk>/anmal-enhet/", views.session_enrol_unit,
         name="session-enrol-unit"),
    path("utbildning/tillfallen/<int:pk>/anmal-person/", views.session_enrol_person,
         name="session-enrol-person"),
    path("utbildning/anmalningar/<int:pk>/avboka/", views.enrolment_cancel,
         name="enrolment-cancel"),
    path("utbildning/kalender/", views.calendar_page, name="calendar"),
    path("utbildning/kalender/ny-adress/", views.calendar_renew, name="calendar-renew"),
    path("utbildning/kalender/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
