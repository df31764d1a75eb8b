from django.urls import reverse

from modig.accounts.models import AccessLogEntry, Role
from modig.organisation.models import Occupation, StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory

LIST = reverse("organisation:person-list")


def listed(response) -> list[str]:
    return [f"{p.first_name} {p.last_name}" for p in response.context["page"]]


def test_people_list_shows_the_coordinators_people_in_name_order(login, coordinator, region):
    response = login(coordinator).get(LIST)
    assert listed(response) == ["Anna Andersson", "Bertil Berg", "Dana Dahl"]


def test_people_can_be_searched_by_name_email_and_employee_id(login, coordinator, region):
    client = login(coordinator)
    assert listed(client.get(LIST, {"q": "berg"})) == ["Bertil Berg"]
    assert listed(client.get(LIST, {"q": "anna@ale"})) == ["Anna Andersson"]
    assert listed(client.get(LIST, {"q": "a3"})) == ["Dana Dahl"]
    assert listed(client.get(LIST, {"q": "anna berg"})) == []


def test_unit_filter_includes_the_units_below(login, coordinator, region):
    other = EmploymentFactory(
        municipality=region.ale, units=[region.ale_elderly],
        person=PersonFactory(first_name="Olle", last_name="Öberg"),
    )
    client = login(coordinator)
    assert "Olle Öberg" in listed(client.get(LIST, {"enhet": region.ale_elderly.pk}))
    below = listed(client.get(LIST, {"enhet": region.nodinge.pk}))
    assert below == ["Anna Andersson", "Bertil Berg", "Dana Dahl"]
    assert other.person.pk


def test_filters_by_staff_category_and_occupation(login, coordinator, region):
    manager = EmploymentFactory(
        municipality=region.ale, units=[region.vikadamm],
        staff_category=StaffCategory.MANAGEMENT,
        occupation=Occupation.objects.filter(staff_category=StaffCategory.MANAGEMENT).first(),
        person=PersonFactory(first_name="Maja", last_name="Mattsson"),
    )
    client = login(coordinator)
    assert listed(client.get(LIST, {"kategori": "management"})) == ["Maja Mattsson"]
    code = manager.occupation.ssyk_code
    assert listed(client.get(LIST, {"yrke": code})) == ["Maja Mattsson"]


def test_inactive_people_are_shown_only_when_asked_for(login, coordinator, region):
    region.bertil.employments.update(is_active=False)
    client = login(coordinator)
    assert "Bertil Berg" not in listed(client.get(LIST))
    assert listed(client.get(LIST, {"status": "inactive"})) == ["Bertil Berg"]
    assert "Bertil Berg" in listed(client.get(LIST, {"status": "all"}))


def test_a_person_active_only_elsewhere_counts_as_inactive_for_the_coordinator(
    login, coordinator, region
):
    region.dual.employments.filter(municipality=region.ale).update(is_active=False)
    client = login(coordinator)
    assert listed(client.get(LIST, {"status": "inactive"})) == ["Dana Dahl"]


def test_unit_manager_sees_only_the_people_in_their_area(login, unit_manager, region):
    EmploymentFactory(municipality=region.ale, units=[region.ale_elderly],
                      person=PersonFactory(first_name="Olle", last_name="Öberg"))
    assert "Olle Öberg" not in listed(login(unit_manager).get(LIST))


def test_people_list_is_paginated(login, coordinator, region):
    for n in range(55):
        EmploymentFactory(municipality=region.ale, units=[region.vikadamm],
                          person=PersonFactory(first_name="Test", last_name=f"Person{n:02d}"))
    client = login(coordinator)
    first = client.get(LIST)
    assert len(first.context["page"]) == 50
    second = client.get(LIST, {"sida": 2})
    assert len(second.context["page"]) == 8


def test_people_list_query_count_does_not_grow_with_the_page(
    login, coordinator, region, django_assert_max_num_queries
):
    for n in range(40):
        EmploymentFactory(municipality=region.ale, units=[region.vikadamm, region.nodinge],
                          person=PersonFactory(first_name="Test", last_name=f"Person{n:02d}"))
    client = login(coordinator)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(16):
        response = client.get(LIST, {"status": "all"})
    assert len(response.context["page"]) == 43


def test_opening_a_person_shows_the_record_and_logs_it(login, coordinator, region):
    response = login(coordinator).get(
        reverse("organisation:person-detail", args=[region.anna.pk])
    )
    page = response.content.decode()
    assert "anna@ale.example" in page
    assert "Vikadamm boende" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.person, entry.user_email) == (
        AccessLogEntry.Action.VIEW_PERSON, region.anna, coordinator.email
    )


def test_identity_number_is_masked_on_the_record(login, coordinator, region):
    region.anna.identity_number = "198112189876"
    region.anna.save()
    page = login(coordinator).get(
        reverse("organisation:person-detail", args=[region.anna.pk])
    ).content.decode()
    assert "19811218-XXXX" in page
    assert "9876" not in page
    assert reverse("organisation:person-identity-number", args=[region.anna.pk]) not in page


def test_programme_admin_can_show_the_full_number_and_it_is_logged(
    login, programme_admin, region
):
    region.anna.identity_number = "198112189876"
    region.anna.save()
    client = login(programme_admin)
    detail = client.get(reverse("organisation:person-detail", args=[region.anna.pk]))
    assert "9876" not in detail.content.decode()
    response = client.post(reverse("organisation:person-identity-number", args=[region.anna.pk]))
    assert "19811218-9876" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_IDENTITY_NUMBER, person=region.anna
    ).count() == 1


def test_htmx_gets_only_the_identity_number_block(login, programme_admin, region):
    region.anna.identity_number = "198112189876"
    region.anna.save()
    response = login(programme_admin).post(
        reverse("organisation:person-identity-number", args=[region.anna.pk]),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "19811218-9876" in body
    assert "<html" not in body


def test_protected_identity_is_never_shown_in_full(login, programme_admin, region):
    region.anna.identity_number = "198112189876"
    region.anna.has_protected_identity = True
    region.anna.save()
    client = login(programme_admin)
    detail = client.get(reverse("organisation:person-detail", args=[region.anna.pk]))
    response = client.post(reverse("organisation:person-identity-number", args=[region.anna.pk]))
    for page in (detail.content.decode(), response.content.decode()):
        assert "9876" not in page
        assert "19811218" not in page
        assert "Skyddad identitet" in page
    assert not AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_IDENTITY_NUMBER
    ).exists()


def test_identity_number_roles_come_from_settings(login, coordinator, region, settings):
    settings.MODIG_IDENTITY_NUMBER_ROLES = [Role.PROGRAMME_ADMIN, Role.COORDINATOR]
    region.anna.identity_number = "198112189876"
    region.anna.save()
    response = login(coordinator).post(
        reverse("organisation:person-identity-number", args=[region.anna.pk])
    )
    assert "19811218-9876" in response.content.decode()


def test_export_is_semicolon_csv_with_bom_and_is_logged(login, coordinator, region):
    response = login(coordinator).get(reverse("organisation:person-export"), {"q": "Anna"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Efternamn;Förnamn;")
    assert lines[1].startswith("Andersson;Anna;anna@ale.example;")
    assert len(lines) == 2
    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessLogEntry.Action.EXPORT
    assert "q=Anna" in entry.detail


def test_export_neutralises_cells_that_look_like_formulas(login, coordinator, region):
    region.anna.last_name = "=HYPERLINK(1)"
    region.anna.save()
    response = login(coordinator).get(reverse("organisation:person-export"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK(1)" in body
