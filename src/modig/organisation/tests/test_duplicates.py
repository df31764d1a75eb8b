import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from modig.accounts.models import AccessLogEntry, Role, RoleAssignment, User
from modig.organisation import queries, services
from modig.organisation.models import DuplicateDecision, Employment, Person
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory


@pytest.fixture
def twins(region):
    """Eva works in Ale and, registered a second time, in the other municipality."""
    ale = PersonFactory(first_name="Eva", last_name="Ek", birth_year=1975,
                        email="eva@example.se", mobile="0701234567")
    other = PersonFactory(first_name="eva", last_name="EK", birth_year=1975,
                          email="Eva@Example.se", mobile="0709999999")
    EmploymentFactory(person=ale, municipality=region.ale, employee_id="A9",
                      units=[region.vikadamm])
    EmploymentFactory(person=other, municipality=region.tjorn, employee_id="T9",
                      units=[region.solgarden])
    return ale, other


def pair_url(name, first, second):
    low, high = sorted([first.pk, second.pk])
    return reverse(f"organisation:{name}", kwargs={"first": low, "second": high})


def test_same_email_or_name_and_birth_year_across_municipalities_is_listed(
    programme_admin, twins
):
    (pair,) = queries.likely_duplicates(programme_admin)
    assert {pair.first, pair.second} == set(twins)
    assert pair.reasons == ["email", "name_birth_year"]
    assert pair.can_merge


def test_different_identity_numbers_are_never_listed(programme_admin, twins):
    first, second = twins
    Person.objects.filter(pk=first.pk).update(identity_number="198112189876")
    Person.objects.filter(pk=second.pk).update(identity_number="197501011236")
    assert queries.likely_duplicates(programme_admin) == []


def test_coordinator_sees_the_pair_but_not_the_other_halfs_contact_details(
    login, coordinator, twins
):
    ale, other = twins
    response = login(coordinator).get(reverse("organisation:duplicate-list"))
    page = response.content.decode()
    (pair,) = response.context["pairs"]
    assert not pair.can_merge and pair.can_keep_apart
    assert "0709999999" not in page
    assert "Eva@Example.se" not in page
    assert reverse("organisation:person-detail", args=[other.pk]) not in page
    assert reverse("organisation:person-detail", args=[ale.pk]) in page
    assert "Be programkontoret" in page
    assert pair_url("duplicate-merge", ale, other) not in page


def test_coordinator_cannot_merge_across_municipalities(login, coordinator, twins):
    response = login(coordinator).post(
        pair_url("duplicate-merge", *twins), {"keep": twins[0].pk}
    )
    assert response.status_code == 403
    assert Person.objects.filter(pk=twins[1].pk).exists()


def test_coordinator_of_both_municipalities_can_merge(login, coordinator, region, twins):
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR,
                                  municipality=region.tjorn)
    response = login(coordinator).post(
        pair_url("duplicate-merge", *twins), {"keep": twins[0].pk}
    )
    assert response.url == reverse("organisation:person-detail", args=[twins[0].pk])
    assert not Person.objects.filter(pk=twins[1].pk).exists()
    employee_ids = Employment.objects.filter(person=twins[0]).values_list("employee_id",
                                                                         flat=True)
    assert set(employee_ids) == {"A9", "T9"}


def test_keeping_apart_hides_the_pair_for_everyone(login, coordinator, programme_admin, twins):
    login(coordinator).post(pair_url("duplicate-keep-apart", *twins))
    decision = DuplicateDecision.objects.get()
    assert decision.decided_by == coordinator
    assert queries.likely_duplicates(programme_admin) == []


def test_a_guessed_pair_that_does_not_match_is_404_for_a_coordinator(
    login, coordinator, region
):
    client = login(coordinator)
    url = pair_url("duplicate-keep-apart", region.anna, region.cecilia)
    assert client.post(url).status_code == 404
    assert not DuplicateDecision.objects.exists()


def test_unit_manager_cannot_open_the_duplicates_page(login, unit_manager, twins):
    assert login(unit_manager).get(reverse("organisation:duplicate-list")).status_code == 403


def test_duplicates_page_query_count_is_bounded(
    login, programme_admin, region, django_assert_max_num_queries
):
    for n in range(12):
        for municipality in (region.ale, region.tjorn):
            EmploymentFactory(
                municipality=municipality,
                person=PersonFactory(first_name=f"Namn{n}", last_name="Lik", birth_year=1990),
            )
    client = login(programme_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("organisation:duplicate-list"))
    assert len(response.context["pairs"]) == 12


# merge_people --------------------------------------------------------------------------------

def test_merge_keeps_employments_fills_gaps_and_moves_links(twins):
    keep, duplicate = twins
    Person.objects.filter(pk=keep.pk).update(email="", gender=Person.Gender.UNKNOWN)
    keep.refresh_from_db()
    Person.objects.filter(pk=duplicate.pk).update(identity_number="197501011236",
                                                  has_protected_identity=True)
    duplicate.refresh_from_db()
    user = User.objects.create_user("eva@example.se", "x" * 12, person=duplicate)
    AccessLogEntry.objects.create(user_email="x@example.se", action="view_person",
                                  person=duplicate)
    third = PersonFactory()
    services.keep_people_apart(duplicate, third)
    services.merge_people(keep, duplicate=duplicate)
    keep.refresh_from_db()
    user.refresh_from_db()
    assert keep.email == "Eva@Example.se"
    assert keep.identity_number == "197501011236"
    assert keep.has_protected_identity
    assert keep.gender == Person.Gender.FEMALE
    assert keep.mobile == "0701234567"  # the kept record's own value wins
    assert user.person == keep
    assert AccessLogEntry.objects.get().person == keep
    low, high = sorted([keep.pk, third.pk])
    assert DuplicateDecision.objects.filter(person_low_id=low, person_high_id=high).exists()
    assert keep.employments.count() == 2


def test_merge_refuses_two_identity_numbers(twins):
    keep, duplicate = twins
    Person.objects.filter(pk=keep.pk).update(identity_number="198112189876")
    Person.objects.filter(pk=duplicate.pk).update(identity_number="197501011236")
    with pytest.raises(ValidationError) as error:
        services.merge_people(keep, duplicate=duplicate)
    assert error.value.code == "merge_identity_differs"
    assert Employment.objects.filter(person=duplicate).count() == 1


def test_merge_refuses_two_log_ins(twins):
    keep, duplicate = twins
    User.objects.create_user("a@example.se", "x" * 12, person=keep)
    User.objects.create_user("b@example.se", "x" * 12, person=duplicate)
    with pytest.raises(ValidationError) as error:
        services.merge_people(keep, duplicate=duplicate)
    assert error.value.code == "merge_two_users"
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_page_shows_the_error_and_changes_nothing(login, programme_admin, twins):
    keep, duplicate = twins
    Person.objects.filter(pk=keep.pk).update(identity_number="198112189876")
    Person.objects.filter(pk=duplicate.pk).update(identity_number="197501011236")
    response = login(programme_admin).post(
        pair_url("duplicate-merge", keep, duplicate), {"keep": keep.pk}
    )
    assert response.status_code == 200
    assert "olika personnummer" in response.content.decode()
    assert Person.objects.filter(pk=duplicate.pk).exists()
