"""Personas and a small region shared by every app's tests (STYLE.md, "Tests").

Region: Ale (1440) with Äldreomsorg → Område Nödinge → Vikadamm boende, and Tjörn (1419) with
Solgården. People: two at Vikadamm, one at Solgården, and one person employed in both.
"""

import datetime
import threading
from dataclasses import dataclass

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from modig.accounts.models import Role, RoleAssignment, User
from modig.organisation.models import Municipality, Person, Programme, Unit
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit

PASSWORD = "rätt-lösenord-123"  # noqa: S105 - test persona


@dataclass
class Region:
    programme: Programme
    ale: Municipality
    tjorn: Municipality
    ale_elderly: Unit
    nodinge: Unit
    vikadamm: Unit
    solgarden: Unit
    anna: Person
    bertil: Person
    cecilia: Person
    dual: Person


def restore_migration_data() -> None:
    """Load the data migrations' rows again when a transactional test's flush removed them
    (the flush empties every table; tests that run after it in the same process would find no
    municipalities, DigComp or default questionnaires). One query when nothing is missing."""
    if Municipality.objects.filter(code="1440").exists():
        return
    from modig.competence.reference import load_digcomp
    from modig.organisation.reference import load_reference_data
    from modig.surveys.questionnaires import (
        add_default_follow_up_items,
        load_default_questionnaires,
    )

    load_reference_data()
    load_digcomp()
    load_default_questionnaires()
    add_default_follow_up_items()


@pytest.fixture
def concurrent_db(transactional_db):
    """Real transactions, for tests that run threads with their own connections, with the data
    migrations' rows in place (the flush after a transactional test removes them)."""
    restore_migration_data()


def run_at_once(*works) -> list:
    """Run each callable in its own thread (so its own database connection), all released at
    the same moment; what each returned, or the exception it raised."""
    barrier = threading.Barrier(len(works))
    results = [None] * len(works)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def region(db) -> Region:
    restore_migration_data()
    ale = Municipality.objects.get(code="1440")
    tjorn = Municipality.objects.get(code="1419")
    programme = Programme.objects.create(
        name="Modig", owner_organisation="Göteborgsregionen",
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2027, 12, 31),
    )
    programme.municipalities.set([ale, tjorn])
    ale_elderly = make_unit(ale, "Äldreomsorg", kind=Unit.Kind.ADMINISTRATION)
    nodinge = make_unit(ale, "Område Nödinge", parent=ale_elderly, kind=Unit.Kind.AREA)
    vikadamm = make_unit(ale, "Vikadamm boende", parent=nodinge)
    solgarden = make_unit(tjorn, "Solgården")
    anna = PersonFactory(first_name="Anna", last_name="Andersson", email="anna@ale.example")
    bertil = PersonFactory(first_name="Bertil", last_name="Berg", gender=Person.Gender.MALE)
    cecilia = PersonFactory(first_name="Cecilia", last_name="Carlsson")
    dual = PersonFactory(first_name="Dana", last_name="Dahl")
    EmploymentFactory(person=anna, municipality=ale, employee_id="A1", units=[vikadamm])
    EmploymentFactory(person=bertil, municipality=ale, employee_id="A2", units=[vikadamm])
    EmploymentFactory(person=cecilia, municipality=tjorn, employee_id="T1", units=[solgarden])
    EmploymentFactory(person=dual, municipality=ale, employee_id="A3", units=[vikadamm])
    EmploymentFactory(person=dual, municipality=tjorn, employee_id="T2", units=[solgarden])
    return Region(programme, ale, tjorn, ale_elderly, nodinge, vikadamm, solgarden,
                  anna, bertil, cecilia, dual)


def make_user(email: str, role: str | None = None, **scope) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title())
    if role:
        units = scope.pop("units", [])
        assignment = RoleAssignment.objects.create(user=user, role=role, **scope)
        assignment.units.set(units)
    return user


@pytest.fixture
def programme_admin(region) -> User:
    return make_user("admin@gr.example", Role.PROGRAMME_ADMIN, programme=region.programme)


@pytest.fixture
def coordinator(region) -> User:
    return make_user("samordnare@ale.example", Role.COORDINATOR, municipality=region.ale)


@pytest.fixture
def tjorn_coordinator(region) -> User:
    return make_user("samordnare@tjorn.example", Role.COORDINATOR, municipality=region.tjorn)


@pytest.fixture
def unit_manager(region) -> User:
    return make_user("chef@ale.example", Role.UNIT_MANAGER, units=[region.nodinge])


@pytest.fixture
def ambassador(region) -> User:
    return make_user("ombud@ale.example", Role.AMBASSADOR, units=[region.vikadamm])


@pytest.fixture
def trainer(region) -> User:
    return make_user("utbildare@gr.example", Role.TRAINER)


@pytest.fixture
def staff_member(region) -> User:
    user = make_user("anna@ale.example", Role.STAFF_MEMBER)
    user.person = region.anna
    user.save(update_fields=["person"])
    return user


@pytest.fixture
def outsider(region) -> User:
    return make_user("utomstaende@example.com")


def sign_in(client, user: User) -> None:
    """Log the user in, and pass two-factor verification where their role needs it."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    def _login(user: User):
        sign_in(client, user)
        return client

    return _login
