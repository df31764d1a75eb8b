"""Reads for the roster import pages, scoped through the access layer."""

from django.http import Http404

from modig.accounts import access
from modig.roster.models import RosterImport


def imports_visible_to(user):
    """Imports into the municipalities whose roster the user may change."""
    return RosterImport.objects.without_content().filter(
        municipality__in=access.editable_municipalities(user)
    ).select_related("municipality", "created_by")


def roster_import_for_user(user, pk: int) -> RosterImport:
    """An import by id: 404 unless the user may change that municipality's roster."""
    roster_import = (
        RosterImport.objects.defer("content")
        .filter(municipality__in=access.editable_municipalities(user))
        .select_related("municipality", "created_by").filter(pk=pk).first()
    )
    if roster_import is None:
        raise Http404
    return roster_import
