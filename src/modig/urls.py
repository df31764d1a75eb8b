from django.contrib import admin
from django.urls import include, path

from modig import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("modig.accounts.urls")),
    path("", include("modig.organisation.urls")),
    path("", include("modig.roster.urls")),
    path("admin/", admin.site.urls),
]
