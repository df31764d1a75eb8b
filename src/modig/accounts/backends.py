"""Authentication backends: e-mail and password, and OpenID Connect when configured."""

from django.contrib.auth.backends import ModelBackend

from modig.accounts.models import User


class EmailBackend(ModelBackend):
    """Log in with e-mail (any case) and password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip().lower()
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            User().set_password(password)  # same time spent as for a real user
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


try:
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend
except ImportError:  # pragma: no cover - the package is a pinned dependency
    OIDCAuthenticationBackend = object


class ModigOIDCBackend(OIDCAuthenticationBackend):
    """OpenID Connect log-in for users who already exist in Modig (matched by e-mail).

    Roles are granted in Modig, never by the identity provider, so an unknown e-mail is refused.
    """

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or claims.get("preferred_username") or "").lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
