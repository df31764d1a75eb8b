"""Training URLs: group formation, under /utbildning/gruppindelning/ (see urls.py)."""

from django.urls import path

from modig.training import grouping_views as views

urlpatterns = [
    path("utbildning/gruppindelning/", views.grouping_list, name="grouping-list"),
    path("utbildning/gruppindelning/ny/", views.grouping_create, name="grouping-create"),
    path("utbildning/gruppindelning/<int:pk>/", views.grouping_detail, name="grouping-detail"),
    path("utbildning/gruppindelning/<int:pk>/personer/<int:member_pk>/", views.grouping_member,
         name="grouping-member"),
    path("utbildning/gruppindelning/<int:pk>/grupper/<int:group_pk>/", views.grouping_group,
         name="grouping-group"),
    path("utbildning/gruppindelning/<int:pk>/placera/", views.grouping_place,
         name="grouping-place"),
    path("utbildning/gruppindelning/<int:pk>/bekrafta/", views.grouping_confirm,
         name="grouping-confirm"),
    path("utbildning/gruppindelning/<int:pk>/ta-bort/", views.grouping_delete,
         name="grouping-delete"),
]
