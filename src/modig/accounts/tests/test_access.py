import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from modig.accounts import access


def names(people):
    return sorted(p.first_name for p in people)


def test_programme_admin_sees_everyone(programme_admin):
    assert names(access.people_visible_to(programme_admin)) == ["Anna", "Bertil", "Cecilia", "Dana"]


def test_coordinator_sees_only_their_municipality(coordinator):
    assert names(access.people_visible_to(coordinator)) == ["Anna", "Bertil", "Dana"]


def test_coordinator_cannot_fetch_a_person_in_another_municipality(coordinator, region):
    with pytest.raises(Http404):
        access.person_for_user(coordinator, region.cecilia.pk)


def test_unit_manager_sees_units_below_their_area(unit_manager, region):
    units = set(access.units_visible_to(unit_manager))
    assert units == {region.nodinge, region.vikadamm}
    assert names(access.people_visible_to(unit_manager)) == ["Anna", "Bertil", "Dana"]


def test_unit_manager_cannot_edit_a_person(unit_manager, region):
    with pytest.raises(PermissionDenied):
        access.person_for_user(unit_manager, region.anna.pk, write=True)


def test_staff_member_sees_only_themselves(staff_member, region):
    assert names(access.people_visible_to(staff_member)) == ["Anna"]


def test_outsider_sees_no_one(outsider):
    assert not access.people_visible_to(outsider).exists()
    assert not access.units_visible_to(outsider).exists()


def test_only_programme_admin_sees_full_identity_numbers(programme_admin, coordinator):
    assert access.can_view_identity_number(programme_admin)
    assert not access.can_view_identity_number(coordinator)
