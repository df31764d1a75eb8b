"""Cross-app pages: the home page per role, the health check, the accessibility statement."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from modig.accounts import access
from modig.organisation import queries as organisation_queries
from modig.organisation.models import Programme


def home(request):
    """What each role should do next, with the figures that tell them."""
    user = request.user
    context = {
        "roles": access.roles_of(user),
        "is_programme_admin": access.is_programme_admin(user),
        "overview": organisation_queries.scope_overview(user),
        # The reports' pages are per programme; the home page links to the first one.
        "programme": Programme.objects.order_by("pk").first(),
    }
    return render(request, "home.html", context)


@login_not_required
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def accessibility_statement(request):
    """Tillgänglighetsredogörelse, as the Swedish accessibility law requires."""
    return render(request, "accessibility_statement.html")
