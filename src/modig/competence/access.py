"""Who may see and change competence frameworks and questionnaires.

Frameworks and questionnaires are programme-wide content, not personal data: the programme
office edits them; coordinators and unit managers read them (they plan rounds and read
results against them). Staff, ambassadors and trainers have no use for the editing pages and
get a 403; the respondent sees a questionnaire only through the survey itself.
"""

from django.core.exceptions import PermissionDenied

from modig.accounts import access
from modig.accounts.models import Role

READER_ROLES = (Role.COORDINATOR, Role.UNIT_MANAGER)


def can_view_content(user) -> bool:
    """Frameworks and questionnaires: the programme office, coordinators, unit managers."""
    return access.is_programme_admin(user) or access.has_role(user, *READER_ROLES)


def can_edit_content(user) -> bool:
    """Only the programme office changes frameworks and questionnaires."""
    return access.is_programme_admin(user)


def require_view(user) -> None:
    if not can_view_content(user):
        raise PermissionDenied


def require_edit(user) -> None:
    if not can_edit_content(user):
        raise PermissionDenied
