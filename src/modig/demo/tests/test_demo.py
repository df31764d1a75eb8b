"""The demo region: `modig demo` on a small scale, checked through the command, the database
and the log-in pages."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from modig.accounts.models import Role, RoleAssignment, User
from modig.demo.generator import generate_region
from modig.demo.logins import DEMO_PASSWORD
from modig.organisation.identity import normalise_identity_number
from modig.organisation.models import (
    Employment,
    Municipality,
    Person,
    Programme,
    StaffCategory,
    TargetGroup,
    Unit,
)

SCALE = "0.2"
MODIG_CODES = {"1440", "1401", "1482", "1481", "1402", "1415", "1419"}


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db) -> str:
    return run_demo("--scale", SCALE)


def printed_logins(output: str) -> dict[str, list[str]]:
    """E-mail -> printed backup codes, read from the command's output."""
    logins = {}
    for line in output.splitlines():
        match = re.match(r"\s+(\S+@modig\.demo)\s", line)
        if match:
            codes = line.split("backup codes:")[1].split() if "backup codes:" in line else []
            logins[match.group(1)] = codes
    return logins


def snapshot(seed: int) -> tuple:
    """Generate a small region inside a rolled-back transaction and describe it."""
    with transaction.atomic():
        generate_region(seed=seed, scale=0.1)
        described = (
            list(Unit.objects.order_by("pk").values_list("name", "kind")),
            list(Person.objects.order_by("pk").values_list(
                "first_name", "last_name", "birth_year", "identity_number", "email")),
            list(Employment.objects.order_by("pk").values_list(
                "employee_id", "occupation__ssyk_code", "is_active")),
        )
        transaction.set_rollback(True)
    return described


def test_two_runs_with_the_same_seed_give_the_same_region(db):
    first, second, other_seed = snapshot(7), snapshot(7), snapshot(8)
    assert first == second
    assert len(first[1]) > 300
    assert first[1] != other_seed[1]


def test_programme_has_the_seven_modig_municipalities_and_targets(demo_output):
    programme = Programme.objects.get()
    assert programme.name == "Modig – Mer omsorg med digital teknik"
    assert programme.owner_organisation == "Göteborgsregionen"
    assert (programme.target_people_total, programme.target_people_base,
            programme.target_people_management) == (1600, 1440, 160)
    assert set(programme.municipalities.values_list("code", flat=True)) == MODIG_CODES
    assert programme.targets.count() == len(TargetGroup.Code)
    assert set(Unit.objects.values_list("municipality__code", flat=True)) == MODIG_CODES


def test_units_form_trees_with_paths_like_create_unit_sets(demo_output):
    units = Unit.objects.select_related("parent", "operation_area")
    depth_kinds = {
        1: Unit.Kind.ADMINISTRATION, 2: Unit.Kind.AREA, 3: Unit.Kind.UNIT,
        4: Unit.Kind.WORK_GROUP,
    }
    for unit in units:
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert unit.path == expected
        assert unit.kind == depth_kinds[unit.path.count("/") - 1]
        if unit.parent:
            assert unit.parent.municipality_id == unit.municipality_id
        if unit.kind != Unit.Kind.ADMINISTRATION:
            assert unit.operation_area.code in ("elderly_care", "disability_support")
    assert Unit.objects.filter(name="Vikadamms äldreboende", municipality__code="1440").exists()


def test_occupation_mix_is_like_real_care_staff(demo_output):
    employments = Employment.objects.all()
    total = employments.count()
    by_code = Counter(dict(
        employments.values_list("occupation__ssyk_code").annotate(n=Count("pk"))
    ))

    def share(*codes):
        return sum(by_code[c] for c in codes) / total
    assert 0.30 <= share("5321", "5322") <= 0.55  # undersköterskor, the largest group
    assert by_code.most_common(1)[0][0] == "5321"
    assert 0.10 <= share("5330") <= 0.30  # vårdbiträden
    assert share("5343", "5342", "3411") >= 0.08  # assistants, boendestödjare, stödpedagoger
    management = employments.filter(staff_category=StaffCategory.MANAGEMENT).count()
    assert 0.08 <= management / total <= 0.12
    mismatched = employments.exclude(staff_category=F("occupation__staff_category"))
    assert not mismatched.exists()


def test_every_municipality_has_two_to_ten_ambassadors_with_a_scoped_log_in(demo_output):
    for municipality in Municipality.objects.filter(code__in=MODIG_CODES):
        ambassadors = Person.objects.filter(
            employments__municipality=municipality,
            employments__target_groups__code=TargetGroup.Code.AMBASSADOR,
        ).distinct()
        assert 2 <= ambassadors.count() <= 10
        for person in ambassadors:
            assignment = RoleAssignment.objects.get(user__person=person, role=Role.AMBASSADOR)
            unit_ids = set(assignment.units.values_list("pk", flat=True))
            employed_at = Unit.objects.filter(employments__person=person)
            assert unit_ids <= set(
                employed_at.values_list("pk", flat=True)
            ) | set(employed_at.values_list("parent_id", flat=True))


def test_each_municipality_has_one_local_project_leader_who_coordinates(demo_output):
    leaders = Employment.objects.filter(
        target_groups__code=TargetGroup.Code.LOCAL_PROJECT_LEADER
    )
    assert sorted(leaders.values_list("municipality__code", flat=True)) == sorted(MODIG_CODES)
    for leader in leaders:
        assert RoleAssignment.objects.filter(
            user__person=leader.person, role=Role.COORDINATOR, municipality=leader.municipality
        ).exists()


def test_identity_numbers_are_valid_and_match_gender_and_birth_year(demo_output):
    people = Person.objects.exclude(identity_number="")
    assert people.count() > 100
    for person in people:
        assert normalise_identity_number(person.identity_number) == person.identity_number
        assert int(person.identity_number[:4]) == person.birth_year
        gender_digit = int(person.identity_number[10])
        if person.gender == Person.Gender.FEMALE:
            assert gender_digit % 2 == 0
        elif person.gender == Person.Gender.MALE:
            assert gender_digit % 2 == 1


def test_region_has_dual_employments_likely_duplicates_and_inactive_staff(demo_output):
    dual = Person.objects.annotate(
        n=Count("employments__municipality", distinct=True)
    ).filter(n=2)
    assert dual.count() >= 2
    lookalikes = (
        Person.objects.values("first_name", "last_name", "birth_year")
        .annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert lookalikes.count() >= 2
    assert Employment.objects.filter(is_active=False, ended_on__isnull=False).exists()
    women = Person.objects.filter(gender=Person.Gender.FEMALE).count()
    assert 0.78 <= women / Person.objects.count() <= 0.92
    with_email = Person.objects.exclude(email="").count() / Person.objects.count()
    assert 0.30 <= with_email <= 0.55


def test_every_printed_log_in_works_with_the_printed_password_and_codes(demo_output):
    logins = printed_logins(demo_output)
    assert DEMO_PASSWORD in demo_output
    roles = set(RoleAssignment.objects.filter(user__email__in=logins)
                .values_list("role", flat=True))
    assert roles == set(Role.values)
    for email, codes in logins.items():
        client = Client()
        response = client.post(reverse("accounts:login"),
                               {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        response = client.get("/")
        user = User.objects.get(email=email)
        needs_two_factor = user.role_assignments.filter(
            role__in=[Role.PROGRAMME_ADMIN, Role.COORDINATOR]).exists()
        if needs_two_factor:
            assert len(codes) == 3
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:two-factor"))
            response = client.post(reverse("accounts:two-factor"),
                                   {"token": codes[0], "next": "/"})
            assert response.status_code == 302, email
            response = client.get("/")
        else:
            assert codes == []
        assert response.status_code == 200, email


def test_a_used_backup_code_is_refused_and_no_longer_printed(demo_output):
    email = "samordnare.ale@modig.demo"
    code = printed_logins(demo_output)[email][0]
    for attempt in range(2):
        client = Client()
        client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
        response = client.post(reverse("accounts:two-factor"), {"token": code, "next": "/"})
        assert response.status_code == (302 if attempt == 0 else 200)
    again = printed_logins(run_demo("--if-new"))
    assert code not in again[email]
    assert len(again[email]) == 3


def test_if_new_prints_the_log_ins_again_without_generating(demo_output):
    people = Person.objects.count()
    output = run_demo("--if-new", "--scale", SCALE)
    assert "nothing generated" in output
    assert Person.objects.count() == people
    assert printed_logins(output).keys() == printed_logins(demo_output).keys()
    with pytest.raises(CommandError):
        run_demo("--scale", SCALE)


def test_if_new_generates_on_an_empty_database(db):
    output = run_demo("--if-new", "--scale", SCALE)
    assert "Generated the demo region" in output
    assert Programme.objects.count() == 1
