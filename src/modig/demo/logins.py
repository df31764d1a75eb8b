"""One demo log-in per role, with a shared password and, for the two-factor roles, a fixed
TOTP key and printed backup codes, so the demo can be tried without a phone.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from modig.accounts.models import Role, RoleAssignment, User
from modig.demo.generator import MUNICIPALITIES, RegionSummary
from modig.organisation.models import Municipality

DEMO_PASSWORD = "modig-demo-2026"  # noqa: S105 - printed for everyone who runs the demo
DOMAIN = "modig.demo"
BACKUP_CODES_PER_USER = 20
BACKUP_CODES_SHOWN = 3

ADMIN_EMAIL = f"admin@{DOMAIN}"
UNIT_MANAGER_EMAIL = f"enhetschef@{DOMAIN}"
TRAINER_EMAIL = f"utbildare@{DOMAIN}"
STAFF_EMAIL = f"medarbetare@{DOMAIN}"
# Where the unit manager, ambassador and staff member log-ins work.
HOME_MUNICIPALITY = "1440"


def coordinator_email(slug: str) -> str:
    return f"samordnare.{slug}@{DOMAIN}"


def ambassador_email(slug: str, number: int) -> str:
    return f"ombud.{slug}.{number}@{DOMAIN}"


@dataclass
class DemoLogin:
    email: str
    role: str
    scope: str
    backup_codes: list[str]
    otpauth_uri: str = ""


def _printed_logins() -> list[tuple[str, str]]:
    """(e-mail, role) of the log-ins printed at start, in print order."""
    home_slug = next(slug for code, _, slug in MUNICIPALITIES if code == HOME_MUNICIPALITY)
    return [
        (ADMIN_EMAIL, Role.PROGRAMME_ADMIN),
        *[(coordinator_email(slug), Role.COORDINATOR) for _, _, slug in MUNICIPALITIES],
        (UNIT_MANAGER_EMAIL, Role.UNIT_MANAGER),
        (ambassador_email(home_slug, 1), Role.AMBASSADOR),
        (TRAINER_EMAIL, Role.TRAINER),
        (STAFF_EMAIL, Role.STAFF_MEMBER),
    ]


@transaction.atomic
def create_logins(summary: RegionSummary, *, seed: int) -> None:
    """Users and role assignments for the demo, all with DEMO_PASSWORD (hashed once)."""
    rng = random.Random(f"{seed}-logins")
    password = make_password(DEMO_PASSWORD)
    municipalities = Municipality.objects.in_bulk(
        [code for code, _, _ in MUNICIPALITIES], field_name="code"
    )
    # (user, role, scope fields, units)
    planned: list[tuple[User, str, dict, list]] = []

    def add(email, role, *, full_name, person=None, units=(), **scope):
        user = User(email=email, full_name=full_name, person=person, password=password)
        planned.append((user, role, scope, list(units)))
        return user

    admin = add(ADMIN_EMAIL, Role.PROGRAMME_ADMIN, full_name="Programkontoret GR",
                programme=summary.programme)
    admin.is_staff = admin.is_superuser = True
    for code, _, slug in MUNICIPALITIES:
        leader = summary.project_leaders[code]
        add(coordinator_email(slug), Role.COORDINATOR, full_name=leader.full_name,
            person=leader, municipality=municipalities[code])
        for number, (person, unit) in enumerate(summary.ambassadors[code], start=1):
            add(ambassador_email(slug, number), Role.AMBASSADOR, full_name=person.full_name,
                person=person, units=[unit])
    manager, managed_unit = summary.unit_managers[HOME_MUNICIPALITY]
    add(UNIT_MANAGER_EMAIL, Role.UNIT_MANAGER, full_name=manager.full_name, person=manager,
        units=[managed_unit])
    add(TRAINER_EMAIL, Role.TRAINER, full_name="Utbildaren GR")
    staff, _unit = summary.staff_members[HOME_MUNICIPALITY]
    add(STAFF_EMAIL, Role.STAFF_MEMBER, full_name=staff.full_name, person=staff)

    users = User.objects.bulk_create([user for user, _, _, _ in planned])
    assignments = RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, **scope) for user, role, scope, _ in planned
    )
    UnitLink = RoleAssignment.units.through
    UnitLink.objects.bulk_create(
        UnitLink(roleassignment_id=assignment.pk, unit_id=unit.pk)
        for assignment, (_, _, _, units) in zip(assignments, planned, strict=True)
        for unit in units
    )
    two_factor_users = [
        user for user, (_, role, _, _) in zip(users, planned, strict=True)
        if role in (Role.PROGRAMME_ADMIN, Role.COORDINATOR)
    ]
    _create_two_factor_devices(two_factor_users, rng)


def _create_two_factor_devices(users: list[User], rng: random.Random) -> None:
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Modig demo", key=f"{rng.getrandbits(160):040x}",
                   confirmed=True)
        for user in users
    )
    devices = StaticDevice.objects.bulk_create(
        StaticDevice(user=user, name="Reservkoder", confirmed=True) for user in users
    )
    tokens = []
    for device in devices:
        codes: set[str] = set()
        while len(codes) < BACKUP_CODES_PER_USER:
            codes.add(f"{rng.randrange(10**7, 10**8)}")
        tokens += [StaticToken(device=device, token=code) for code in sorted(codes)]
    StaticToken.objects.bulk_create(tokens)


def demo_logins() -> list[DemoLogin]:
    """The printed log-ins as they stand in the database, with backup codes not yet used."""
    wanted = _printed_logins()
    users = User.objects.in_bulk([email for email, _ in wanted], field_name="email")
    assignments = {
        a.user_id: a for a in RoleAssignment.objects.filter(user__in=users.values())
        .select_related("municipality").prefetch_related("units")
    }
    logins = []
    for email, role in wanted:
        user = users.get(email)
        if user is None:
            continue
        assignment = assignments.get(user.pk)
        scope = ""
        if assignment and assignment.municipality:
            scope = assignment.municipality.name
        elif assignment and assignment.units.all():
            scope = ", ".join(unit.name for unit in assignment.units.all())
        elif user.person_id:
            scope = user.full_name
        codes = list(
            StaticToken.objects.filter(device__user=user, device__confirmed=True)
            .order_by("pk").values_list("token", flat=True)[:BACKUP_CODES_SHOWN]
        )
        totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        logins.append(DemoLogin(
            email=email, role=str(Role(role).label), scope=scope, backup_codes=codes,
            otpauth_uri=totp.config_url if totp else "",
        ))
    return logins
