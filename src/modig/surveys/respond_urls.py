"""URLs of the surveys app: respond pages (merged into surveys/urls.py).

Public pages for people answering a self-assessment, without an account. Only `s/<token>/`
carries a secret, and it redirects at once to the token-free pages below.
"""

from django.urls import path

from modig.surveys import respond_views

urlpatterns = [
    path("s/<str:token>/", respond_views.respond_link, name="respond-link"),
    path("svara/", respond_views.respond_entry, name="respond-entry"),
    path("svara/start/", respond_views.respond_start, name="respond-start"),
    path("svara/byt-enkat/", respond_views.respond_switch, name="respond-switch"),
    path("svara/sida/<int:number>/", respond_views.respond_page, name="respond-page"),
    path("svara/sparat/", respond_views.respond_saved, name="respond-saved"),
    path("svara/din-profil/", respond_views.respond_profile, name="respond-profile"),
]
