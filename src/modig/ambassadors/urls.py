"""Ambassador URLs, under /ombud/ (see modig/urls.py)."""

from django.urls import path

from modig.ambassadors import network_views, views

app_name = "ambassadors"

urlpatterns = [
    path("ombud/", views.home, name="home"),
    path("ombud/handledning/ny/", views.coaching_log, name="coaching-log"),
    path("ombud/handledning/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("ombud/mikroutbildning/ny/", views.micro_training_create, name="micro-training"),
    path("ombud/natverk/", network_views.meeting_list, name="network-list"),
    path("ombud/natverk/ny/", network_views.meeting_create, name="network-create"),
    path("ombud/natverk/<int:pk>/", network_views.meeting_detail, name="network-detail"),
    path("ombud/natverk/<int:pk>/bjud-in/", network_views.meeting_invite,
         name="network-invite"),
    path("ombud/natverk/<int:pk>/narvaro/", network_views.meeting_roll_call,
         name="network-roll-call"),
    path("ombud/uppdrag/", views.appointment_list, name="appointment-list"),
    path("ombud/uppdrag/<str:code>/nytt/", views.appointment_create, name="appointment-create"),
    path("ombud/uppdrag/<int:pk>/visa/", views.appointment_detail, name="appointment-detail"),
    path("ombud/uppdrag/<int:pk>/andra/", views.appointment_edit, name="appointment-edit"),
    path("ombud/uppdrag/<int:pk>/avsluta/", views.appointment_end, name="appointment-end"),
]
