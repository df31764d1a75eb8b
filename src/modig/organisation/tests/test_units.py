import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from modig.organisation import queries, services
from modig.organisation.models import Unit
from modig.organisation.tests.factories import make_unit


def test_unit_tree_counts_people_in_the_unit_and_below(coordinator, region):
    tree = queries.unit_tree(coordinator, region.ale)
    (elderly,) = tree
    assert elderly.unit == region.ale_elderly
    assert (elderly.active_here, elderly.active_in_subtree) == (0, 3)
    (nodinge,) = elderly.children
    assert nodinge.children[0].unit == region.vikadamm
    assert nodinge.children[0].active_in_subtree == 3


def test_unit_tree_counts_a_person_in_two_units_once(coordinator, region):
    region.anna.employments.get().units.add(region.nodinge)
    (elderly,) = queries.unit_tree(coordinator, region.ale)
    assert elderly.active_in_subtree == 3
    assert elderly.children[0].active_here == 1


def test_municipality_page_shows_the_tree_in_few_queries(
    login, coordinator, region, django_assert_max_num_queries
):
    for n in range(15):
        make_unit(region.ale, f"Grupp {n}", parent=region.vikadamm, kind=Unit.Kind.WORK_GROUP)
    client = login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organisation:municipality-detail", args=["1440"]))
    page = response.content.decode()
    assert "Grupp 14" in page and "Vikadamm boende" in page


def test_coordinator_lands_on_their_municipality(login, coordinator, region):
    response = login(coordinator).get(reverse("organisation:municipality-list"))
    assert response.url == reverse("organisation:municipality-detail", args=["1440"])


def test_programme_admin_sees_every_municipality_with_counts(login, programme_admin, region):
    response = login(programme_admin).get(reverse("organisation:municipality-list"))
    rows = {m.code: (m.active_units, m.active_people) for m in response.context["municipalities"]}
    assert rows["1440"] == (3, 3)
    assert rows[region.tjorn.code] == (1, 2)


def test_coordinator_creates_a_unit_under_a_parent(login, coordinator, region):
    response = login(coordinator).post(
        reverse("organisation:unit-create", args=["1440"]),
        {"name": "  Nya  gruppen ", "kind": "work_group", "code": "", "parent": region.vikadamm.pk},
    )
    unit = Unit.objects.get(name="Nya gruppen")
    assert response.url == reverse("organisation:unit-detail", args=[unit.pk])
    assert unit.path == f"{region.vikadamm.path}{unit.pk}/"


def test_a_unit_name_must_be_free_under_the_same_parent(login, coordinator, region):
    response = login(coordinator).post(
        reverse("organisation:unit-create", args=["1440"]),
        {"name": "vikadamm boende", "kind": "unit", "parent": region.nodinge.pk},
    )
    assert response.status_code == 200
    assert "Det finns redan en enhet" in response.content.decode()
    assert Unit.objects.filter(name__iexact="vikadamm boende").count() == 1


def test_moving_a_unit_rewrites_the_paths_below_it(region):
    group = make_unit(region.ale, "Grupp", parent=region.vikadamm)
    other = make_unit(region.ale, "Område Surte", parent=region.ale_elderly)
    services.move_unit(region.vikadamm, parent=other)
    region.vikadamm.refresh_from_db()
    group.refresh_from_db()
    assert region.vikadamm.path == f"{other.path}{region.vikadamm.pk}/"
    assert group.path == f"{region.vikadamm.path}{group.pk}/"
    assert set(Unit.objects.in_subtree_of([other])) == {other, region.vikadamm, group}
    assert region.nodinge.path == Unit.objects.get(pk=region.nodinge.pk).path


def test_moving_a_unit_to_the_top_of_the_municipality(region):
    services.move_unit(region.nodinge, parent=None)
    assert Unit.objects.get(pk=region.vikadamm.pk).path == (
        f"/{region.nodinge.pk}/{region.vikadamm.pk}/"
    )


@pytest.mark.parametrize("target", ["self", "child", "other_municipality"])
def test_a_unit_cannot_move_under_itself_or_to_another_municipality(region, target):
    parent = {"self": region.nodinge, "child": region.vikadamm,
              "other_municipality": region.solgarden}[target]
    with pytest.raises(ValidationError):
        services.move_unit(region.nodinge, parent=parent)
    assert Unit.objects.get(pk=region.nodinge.pk).parent == region.ale_elderly


def test_edit_page_renames_and_moves(login, coordinator, region):
    other = make_unit(region.ale, "Område Surte", parent=region.ale_elderly)
    login(coordinator).post(
        reverse("organisation:unit-edit", args=[region.vikadamm.pk]),
        {"name": "Vikadamm", "kind": "unit", "code": "V1", "parent": other.pk},
    )
    unit = Unit.objects.get(pk=region.vikadamm.pk)
    assert (unit.name, unit.code, unit.parent, unit.path) == (
        "Vikadamm", "V1", other, f"{other.path}{unit.pk}/"
    )


def test_a_unit_with_active_people_cannot_be_closed(login, coordinator, region):
    client = login(coordinator)
    client.post(reverse("organisation:unit-status", args=[region.nodinge.pk]),
                {"action": "deactivate"})
    assert Unit.objects.get(pk=region.nodinge.pk).is_active


def test_closing_a_unit_closes_its_subtree_and_it_can_reopen(login, coordinator, region):
    from modig.organisation.models import Employment

    Employment.objects.filter(municipality=region.ale).update(is_active=False)
    client = login(coordinator)
    client.post(reverse("organisation:unit-status", args=[region.nodinge.pk]),
                {"action": "deactivate"})
    assert not Unit.objects.filter(path__startswith=region.nodinge.path, is_active=True).exists()
    client.post(reverse("organisation:unit-status", args=[region.vikadamm.pk]),
                {"action": "reactivate"})
    assert not Unit.objects.get(pk=region.vikadamm.pk).is_active  # its parent is closed
    client.post(reverse("organisation:unit-status", args=[region.nodinge.pk]),
                {"action": "reactivate"})
    assert Unit.objects.get(pk=region.nodinge.pk).is_active


def test_unit_page_lists_its_people_and_sub_units(login, unit_manager, region):
    url = reverse("organisation:unit-detail", args=[region.nodinge.pk])
    response = login(unit_manager).get(url)
    page = response.content.decode()
    assert "Vikadamm boende" in page
    assert "Andersson, Anna" in page
    assert "Byt namn eller flytta" not in page  # read only for a unit manager
