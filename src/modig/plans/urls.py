"""Action plans and the managers' change log, under /handlingsplaner/."""

from django.urls import path

from modig.plans import plan_views, views

app_name = "plans"

urlpatterns = [
    path("handlingsplaner/rutiner/", views.change_list, name="change-list"),
    path("handlingsplaner/rutiner/ny/", views.change_create, name="change-create"),
]

urlpatterns += [
    path("handlingsplaner/", plan_views.plan_list, name="plan-list"),
    path("handlingsplaner/ny/", plan_views.plan_create, name="plan-create"),
    path("handlingsplaner/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("handlingsplaner/<int:pk>/andra/", plan_views.plan_edit, name="plan-edit"),
    path("handlingsplaner/<int:pk>/nytt-mal/", plan_views.goal_create, name="goal-create"),
    path("handlingsplaner/<int:pk>/ny-atgard/", plan_views.action_form, name="action-create"),
    path("handlingsplaner/<int:pk>/atgarder/<int:action_pk>/", plan_views.action_form,
         name="action-edit"),
    path("handlingsplaner/<int:pk>/ny-uppfoljning/", plan_views.note_create,
         name="note-create"),
    path("handlingsplaner/<int:pk>/handlingsplan.pdf", plan_views.plan_pdf, name="plan-pdf"),
]
