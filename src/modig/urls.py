from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from modig import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    # Anyone may change the language, signed in or not (the log-in page offers it too).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Surveys first: its respondent pages take tens of requests a second in a campaign, and
    # every include tried before the matching one costs a failed resolve (about a tenth of a
    # respondent request's CPU time when surveys came fifth).
    path("", include("modig.surveys.urls")),
    path("", include("modig.accounts.urls")),
    path("", include("modig.organisation.urls")),
    path("", include("modig.roster.urls")),
    path("", include("modig.competence.urls")),
    path("", include("modig.training.urls")),
    path("", include("modig.ambassadors.urls")),
    path("", include("modig.outcomes.urls")),
    path("", include("modig.learning.urls")),
    path("", include("modig.plans.urls")),
    path("", include("modig.reports.urls")),
    path("admin/", admin.site.urls),
]

if settings.MODIG_OIDC_ENABLED:
    # OpenID Connect log-in (docs/deploy.md); the two views run before anyone is logged in.
    from mozilla_django_oidc import views as oidc_views

    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
