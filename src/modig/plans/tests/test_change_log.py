"""The managers' change log: recording (rules and bad input), who sees what, and the outcome
queries with their denominator."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory
from modig.plans import queries, services
from modig.plans.models import RoutineChange
from modig.plans.tests.conftest import make_manager

DAY = datetime.date(2026, 3, 10)


def record(manager, unit, **fields):
    values = {"changed_on": DAY, "routine": "Överlämning", "way": "digital"} | fields
    return services.record_routine_change(manager=manager, unit=unit, **values)


def form_data(manager, unit, **fields):
    return {"manager": manager.pk, "unit": unit.pk, "changed_on": "2026-03-10",
            "routine": "Överlämning mellan pass", "way": "mobile",
            "description": "Skrivs nu i surfplattan", "submission_key": str(uuid.uuid4())
            } | fields


# Recording ------------------------------------------------------------------------------------

def test_a_unit_manager_records_their_own_change_on_the_form(login, unit_manager, manager,
                                                            region):
    client = login(unit_manager)
    page = client.get(reverse("plans:change-create"))
    assert page.status_code == 200
    assert page.context["form"].initial["manager"] == manager.pk
    assert page.context["form"].initial["unit"] == region.nodinge.pk  # their own workplace
    response = client.post(reverse("plans:change-create"), form_data(manager, region.vikadamm))
    assert response.status_code == 302
    change = RoutineChange.objects.get()
    assert (change.manager, change.unit, change.recorded_by) == (manager, region.vikadamm,
                                                                 unit_manager)
    assert change.way == "mobile" and change.changed_on == DAY


def test_a_double_tap_records_the_change_once(login, unit_manager, manager, region):
    client = login(unit_manager)
    data = form_data(manager, region.vikadamm)
    client.post(reverse("plans:change-create"), data)
    client.post(reverse("plans:change-create"), data)
    assert RoutineChange.objects.count() == 1


def test_a_change_in_the_future_is_refused_with_a_swedish_message(login, unit_manager, manager,
                                                                 region):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(unit_manager).post(
        reverse("plans:change-create"),
        form_data(manager, region.vikadamm, changed_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "Datumet ligger i framtiden" in response.content.decode()
    assert not RoutineChange.objects.exists()


def test_today_is_accepted(manager, region):
    assert record(manager, region.vikadamm, changed_on=timezone.localdate()).pk


def test_a_unit_manager_cannot_record_for_someone_else(login, unit_manager, manager, region):
    other = make_manager(region.ale, region.vikadamm, first_name="Olle")
    response = login(unit_manager).post(reverse("plans:change-create"),
                                        form_data(other, region.vikadamm))
    assert response.status_code == 200
    assert "Välj chefen" in response.content.decode()
    assert not RoutineChange.objects.exists()


def test_a_unit_manager_cannot_record_at_a_unit_outside_their_own(login, unit_manager, manager,
                                                                  region):
    response = login(unit_manager).post(reverse("plans:change-create"),
                                        form_data(manager, region.solgarden))
    assert "Välj enheten" in response.content.decode()
    assert not RoutineChange.objects.exists()


def test_a_unit_manager_without_a_person_record_is_told_what_to_do(login, unit_manager):
    page = login(unit_manager).get(reverse("plans:change-create"))
    assert "inte kopplat" in page.content.decode()
    assert "<form method=\"post\" novalidate>" not in page.content.decode()


def test_the_manager_needs_a_managers_employment_in_the_units_municipality(
        region, manager, tjorn_manager):
    with pytest.raises(ValidationError) as error:
        record(tjorn_manager, region.vikadamm)
    assert "manager" in error.value.message_dict
    with pytest.raises(ValidationError):
        record(region.anna, region.vikadamm)  # base staff, not a manager
    assert not RoutineChange.objects.exists()


def test_an_ended_management_employment_does_not_count(region):
    former = make_manager(region.ale, region.vikadamm, is_active=False)
    with pytest.raises(ValidationError):
        record(former, region.vikadamm)


def test_a_coordinator_records_for_a_manager_in_their_municipality(login, coordinator,
                                                                   manager, tjorn_manager,
                                                                   region):
    client = login(coordinator)
    managers = client.get(reverse("plans:change-create")).context["form"].fields[
        "manager"].queryset
    assert list(managers) == [manager]
    response = client.post(reverse("plans:change-create"), form_data(tjorn_manager,
                                                                     region.solgarden))
    assert response.status_code == 200 and not RoutineChange.objects.exists()
    client.post(reverse("plans:change-create"), form_data(manager, region.vikadamm))
    assert RoutineChange.objects.get().manager == manager


def test_a_blank_routine_is_refused(login, unit_manager, manager, region):
    response = login(unit_manager).post(reverse("plans:change-create"),
                                        form_data(manager, region.vikadamm, routine="  "))
    assert "Skriv vilken rutin" in response.content.decode()
    assert not RoutineChange.objects.exists()


# Who sees what --------------------------------------------------------------------------------

def test_each_role_sees_its_own_list(login, region, unit_manager, manager, tjorn_manager,
                                     coordinator, programme_admin, tjorn_coordinator):
    mine = record(manager, region.vikadamm, routine="Min rutin", recorded_by=unit_manager)
    colleague = record(make_manager(region.ale, region.vikadamm, first_name="Olle"),
                       region.vikadamm, routine="Kollegans rutin")
    tjorn = record(tjorn_manager, region.solgarden, routine="Tjörns rutin")

    def listed(user):
        return set(login(user).get(reverse("plans:change-list")).context["page"].object_list)

    assert listed(unit_manager) == {mine}
    assert listed(coordinator) == {mine, colleague}
    assert listed(tjorn_coordinator) == {tjorn}
    assert listed(programme_admin) == {mine, colleague, tjorn}


# The outcome queries --------------------------------------------------------------------------

def test_the_numerator_counts_each_manager_once_inside_the_programme_period(region, manager,
                                                                         tjorn_manager):
    programme = region.programme
    record(manager, region.vikadamm)
    record(manager, region.nodinge, routine="Schemaläggning")
    record(tjorn_manager, region.solgarden, changed_on=datetime.date(2024, 12, 31))
    changed = queries.managers_with_changed_routine(programme)
    assert list(changed) == [manager]
    assert set(queries.managers_in_scope(programme)) == {manager, tjorn_manager}
    assert list(queries.managers_with_changed_routine(
        programme, municipalities=[region.tjorn])) == []
    assert list(queries.managers_with_changed_routine(programme, units=[region.nodinge])) == [
        manager]


def test_the_denominator_is_people_with_an_active_management_employment(region, manager):
    make_manager(region.ale, region.vikadamm, first_name="Före", is_active=False)
    # A person with two management employments is one manager.
    EmploymentFactory(person=manager, municipality=region.tjorn, units=[region.solgarden],
                      staff_category=StaffCategory.MANAGEMENT)
    assert list(queries.managers_in_scope(region.programme)) == [manager]
    assert list(queries.managers_in_scope(region.programme, municipalities=[region.tjorn])) == [
        manager]


def test_a_municipality_outside_the_programme_is_not_counted(region, manager):
    region.programme.municipalities.set([region.tjorn])
    record(manager, region.vikadamm)
    assert not queries.managers_in_scope(region.programme).exists()
    assert not queries.managers_with_changed_routine(region.programme).exists()


def test_the_share_on_the_page_goes_through_the_privacy_rules(region, login, coordinator):
    managers = [make_manager(region.ale, region.vikadamm, first_name=f"C{n}")
                for n in range(7)]
    for person in managers[:5]:
        record(person, region.vikadamm)
    share = queries.routine_change_share(region.programme, municipalities=[region.ale])
    # 2 unchanged managers are too few: the changed count (7 - 5) would reveal them.
    assert share.changed.hidden and not share.managers.hidden
    page = login(coordinator).get(reverse("plans:change-list")).content.decode()
    assert "för få chefer" in page
    record(managers[5], region.vikadamm)
    record(managers[6], region.vikadamm)
    share = queries.routine_change_share(region.programme, municipalities=[region.ale])
    assert (share.changed.count, share.managers.count, share.percent) == (7, 7, 100)
    page = login(coordinator).get(reverse("plans:change-list")).content.decode()
    assert "7 av 7 chefer (100 %)" in page


def test_merging_people_moves_their_changes(region, manager):
    from modig.organisation.signals import people_merged

    duplicate = make_manager(region.ale, region.vikadamm, first_name="Maria2")
    change = record(duplicate, region.vikadamm)
    people_merged.send(sender=None, keep=manager, duplicate=duplicate)
    change.refresh_from_db()
    assert change.manager == manager
