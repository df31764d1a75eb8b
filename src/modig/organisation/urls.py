from django.urls import path

from modig.organisation import views

app_name = "organisation"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality-list"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality-detail"),
    path("kommuner/<str:code>/ny-enhet/", views.unit_create, name="unit-create"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("enheter/<int:pk>/andra/", views.unit_edit, name="unit-edit"),
    path("enheter/<int:pk>/status/", views.unit_status, name="unit-status"),
    path("personer/", views.person_list, name="person-list"),
    path("personer/export/", views.person_export, name="person-export"),
    path("personer/<int:pk>/", views.person_detail, name="person-detail"),
    path(
        "personer/<int:pk>/personnummer/",
        views.person_identity_number,
        name="person-identity-number",
    ),
    path("dubbletter/", views.duplicate_list, name="duplicate-list"),
    path(
        "dubbletter/<int:first>/<int:second>/sammanfoga/",
        views.duplicate_merge,
        name="duplicate-merge",
    ),
    path(
        "dubbletter/<int:first>/<int:second>/hall-isar/",
        views.duplicate_keep_apart,
        name="duplicate-keep-apart",
    ),
]
