"""Who may open the ESF reports."""

from django.core.exceptions import PermissionDenied

from modig.accounts import access as account_access


def require_participant_reports(user) -> None:
    """The participant report holds identity numbers: programme administrators who may see
    full identity numbers (settings.MODIG_IDENTITY_NUMBER_ROLES) only."""
    if not (account_access.is_programme_admin(user)
            and account_access.can_view_identity_number(user)):
        raise PermissionDenied


def programme_for_office(request, programme_pk: int):
    """A programme for the programme office's report pages (403 for everyone else)."""
    from django.shortcuts import get_object_or_404

    from modig.organisation.models import Programme

    if not account_access.is_programme_admin(request.user):
        raise PermissionDenied
    return get_object_or_404(Programme, pk=programme_pk)
