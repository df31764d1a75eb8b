"""Who may open the ESF reports."""

from django.core.exceptions import PermissionDenied

from modig.accounts import access as account_access


def require_participant_reports(user) -> None:
    """The participant report holds identity numbers: programme administrators who may see
    full identity numbers (settings.MODIG_IDENTITY_NUMBER_ROLES) only."""
    if not (account_access.is_programme_admin(user)
            and account_access.can_view_identity_number(user)):
        raise PermissionDenied
