"""URLs of the surveys app: round pages (merged into surveys/urls.py)."""

from django.urls import path

from modig.surveys import round_views

urlpatterns = [
    path("enkater/omgangar/", round_views.round_list, name="round-list"),
    path("enkater/omgangar/ny/", round_views.round_create, name="round-create"),
    path("enkater/omgangar/<int:pk>/", round_views.round_detail, name="round-detail"),
    path("enkater/omgangar/<int:pk>/andra/", round_views.round_edit, name="round-edit"),
    path("enkater/omgangar/<int:pk>/publicera/", round_views.round_publish,
         name="round-publish"),
    path("enkater/omgangar/<int:pk>/avsluta/", round_views.round_close, name="round-close"),
    path("enkater/omgangar/<int:pk>/paminn/", round_views.round_remind, name="round-remind"),
    path("enkater/omgangar/<int:pk>/brev/", round_views.round_letters, name="round-letters"),
    path("enkater/omgangar/<int:pk>/brev/pdf/", round_views.round_letters_pdf,
         name="round-letters-pdf"),
    # Public: the "no more reminders" link in every message.
    path("enkat/avsta/", round_views.opt_out, name="opt-out"),
    path("enkat/avsta/<str:token>/", round_views.opt_out_link, name="opt-out-link"),
]
