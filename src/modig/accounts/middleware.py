"""Two-factor authentication for the roles that need it (programme office, coordinators)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from modig.accounts import access
from modig.accounts.models import TWO_FACTOR_ROLES

# Paths a half-signed-in user may reach: the two-factor pages themselves, log-out, static files.
# Public pages, including the survey pages a respondent opens from a letter: a signed-in
# coordinator opening their own survey link must not have the token copied into ?next=.
_ALLOWED_PREFIXES = ("/konto/", "/static/", "/healthz", "/i18n/", "/tillganglighet", "/s/",
                     "/svara/", "/enkat/")


def needs_two_factor(user) -> bool:
    """Whether this user must pass a TOTP check before using Modig."""
    if not settings.MODIG_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or bool(access.roles_of(user) & TWO_FACTOR_ROLES)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:two-factor')}?next={request.path}")
        return self.get_response(request)
