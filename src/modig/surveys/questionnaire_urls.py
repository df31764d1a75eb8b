"""URLs of the surveys app: questionnaire pages (merged into surveys/urls.py)."""

from django.urls import path

from modig.surveys import questionnaire_views as views

urlpatterns = [
    path("enkater/formular/", views.questionnaire_list, name="questionnaire-list"),
    path("enkater/formular/<int:pk>/", views.questionnaire_detail,
         name="questionnaire-detail"),
    path("enkater/formular/<int:pk>/andra/", views.questionnaire_edit,
         name="questionnaire-edit"),
    path("enkater/formular/<int:pk>/forhandsvisning/", views.questionnaire_preview,
         name="questionnaire-preview"),
    path("enkater/formular/<int:pk>/ny-version/", views.questionnaire_new_version,
         name="questionnaire-new-version"),
    path("enkater/formular/<int:pk>/ta-bort/", views.questionnaire_delete,
         name="questionnaire-delete"),
    path("enkater/formular/<int:pk>/ny-fraga/", views.questionnaire_item_add,
         name="questionnaire-item-add"),
    path("enkater/formular/<int:pk>/fragor/<int:item_pk>/andra/", views.questionnaire_item_edit,
         name="questionnaire-item-edit"),
    path("enkater/formular/<int:pk>/fragor/<int:item_pk>/ta-bort/",
         views.questionnaire_item_remove, name="questionnaire-item-remove"),
    path("enkater/formular/<int:pk>/fragor/<int:item_pk>/flytta/",
         views.questionnaire_item_move, name="questionnaire-item-move"),
]
