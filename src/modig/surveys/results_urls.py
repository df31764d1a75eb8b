"""URLs of the surveys app: results pages (merged into surveys/urls.py)."""

from django.urls import path

from modig.surveys import results_views

urlpatterns = [
    path("enkater/omgangar/<int:pk>/resultat/", results_views.round_results,
         name="round-results"),
    path("enkater/omgangar/<int:pk>/resultat/export.<str:fmt>", results_views.round_results_export,
         name="round-results-export"),
    path("enkater/omgangar/<int:pk>/resultat/lagsta/", results_views.round_lowest_scores,
         name="round-lowest-scores"),
]
