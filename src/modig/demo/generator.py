"""The demo region: the Modig programme with GR's seven municipalities, their units and staff.

Deterministic: everything comes from one `random.Random(seed)` and fixed dates, so two runs
give the same names, units and counts. `scale` shrinks the region for fast tests (1.0 gives
about 120 units (enheter) and 3,500 staff).

The contact details are fictitious on purpose: e-mail addresses end in `.example` (a domain
reserved for examples, so a demo database can never mail a real municipal address) and mobile
numbers come from the range PTS reserves for fiction (070-174 06 05 – 070-174 06 99). Identity
numbers have valid check digits but random serial numbers.
"""

import datetime
import random
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from modig.demo import names
from modig.organisation.identity import luhn_check_digit
from modig.organisation.models import (
    Employment,
    Municipality,
    Occupation,
    OperationArea,
    Person,
    Programme,
    ProgrammeTarget,
    TargetGroup,
    Unit,
)
from modig.organisation.services import create_unit

SEED = 2026
# Everything is dated relative to the programme start, never to today.
REFERENCE_DATE = datetime.date(2025, 1, 1)
FULL_STAFF = 3500

PROGRAMME = {
    "name": "Modig – Mer omsorg med digital teknik",
    "owner_organisation": "Göteborgsregionen",
    "starts_on": REFERENCE_DATE,
    "ends_on": datetime.date(2027, 12, 31),
    "target_people_total": 1600,
    "target_people_base": 1440,
    "target_people_management": 160,
    "target_training_hours": 30000,
    "min_group_size": 5,
}
PROGRAMME_TARGETS = {
    TargetGroup.Code.BASE_STAFF: 1440,
    TargetGroup.Code.OPERATIONAL_MANAGER: 130,
    TargetGroup.Code.STRATEGIST: 30,
    TargetGroup.Code.LOCAL_PROJECT_LEADER: 7,
    TargetGroup.Code.AMBASSADOR: 45,
}

# SCB code, number of units (enheter) at full scale, e-mail slug. Mölndal and Kungälv are the
# largest care organisations of the seven, Tjörn the smallest.
MUNICIPALITIES = [
    ("1481", 26, "molndal"),
    ("1482", 24, "kungalv"),
    ("1402", 17, "partille"),
    ("1401", 17, "harryda"),
    ("1440", 16, "ale"),
    ("1415", 12, "stenungsund"),
    ("1419", 8, "tjorn"),
]

ELDERLY = "elderly_care"
DISABILITY = "disability_support"


@dataclass(frozen=True)
class UnitType:
    operation_area: str
    area: str  # which område the unit belongs to in a municipality with four areas
    mean_staff: int
    # (SSYK code, job title, weight) for the base staff of such a unit.
    occupations: tuple[tuple[str, str, int], ...]


UNIT_TYPES: dict[str, UnitType] = {
    "nursing_home": UnitType(ELDERLY, "residential", 45, (
        ("5321", "Undersköterska", 60), ("5330", "Vårdbiträde", 25),
        ("2221", "Sjuksköterska", 6), ("2273", "Arbetsterapeut", 2),
        ("2272", "Fysioterapeut", 1), ("5349", "Omsorgsassistent", 6),
    )),
    "short_stay": UnitType(ELDERLY, "residential", 25, (
        ("5321", "Undersköterska", 60), ("5330", "Vårdbiträde", 20),
        ("2221", "Sjuksköterska", 12), ("2273", "Arbetsterapeut", 4),
        ("2272", "Fysioterapeut", 4),
    )),
    "home_care": UnitType(ELDERLY, "home", 50, (
        ("5321", "Undersköterska", 55), ("5330", "Vårdbiträde", 40),
        ("5349", "Omsorgsassistent", 5),
    )),
    "home_nursing": UnitType(ELDERLY, "home", 18, (
        ("2221", "Sjuksköterska", 60), ("2273", "Arbetsterapeut", 15),
        ("2272", "Fysioterapeut", 15), ("5321", "Undersköterska", 10),
    )),
    "group_home": UnitType(DISABILITY, "housing", 12, (
        ("5322", "Undersköterska", 35), ("5342", "Vårdare", 30),
        ("3411", "Stödpedagog", 20), ("5349", "Omsorgsassistent", 15),
    )),
    "service_home": UnitType(DISABILITY, "housing", 10, (
        ("5342", "Boendestödjare", 45), ("3411", "Stödpedagog", 30),
        ("5322", "Undersköterska", 25),
    )),
    "housing_support": UnitType(DISABILITY, "housing", 12, (
        ("5342", "Boendestödjare", 80), ("3411", "Stödpedagog", 20),
    )),
    "daily_activity": UnitType(DISABILITY, "assistance", 15, (
        ("3411", "Handledare", 45), ("5342", "Vårdare", 25),
        ("5349", "Omsorgsassistent", 30),
    )),
    "personal_assistance": UnitType(DISABILITY, "assistance", 45, (
        ("5343", "Personlig assistent", 100),
    )),
}
# Share of each type among the units beyond the first four (a nursing home, a home-care
# group, a group home and personal assistance, which every municipality has).
TYPE_SHARES = {
    "nursing_home": 25, "home_care": 22, "short_stay": 4, "home_nursing": 4, "group_home": 22,
    "service_home": 5, "housing_support": 5, "daily_activity": 8, "personal_assistance": 6,
}
CORE_TYPES = ("nursing_home", "home_care", "group_home", "personal_assistance")

# Areas (områden) by how many units a municipality has: small ones have two, large ones four.
AREA_NAMES = {
    2: {"residential": "Äldreomsorg", "home": "Äldreomsorg",
        "housing": "Funktionsstöd", "assistance": "Funktionsstöd"},
    3: {"residential": "Särskilt boende", "home": "Hemtjänst och hemsjukvård",
        "housing": "Funktionsstöd", "assistance": "Funktionsstöd"},
    4: {"residential": "Särskilt boende", "home": "Hemtjänst och hemsjukvård",
        "housing": "Funktionsstöd boende",
        "assistance": "Daglig verksamhet och personlig assistans"},
}

MANAGEMENT_SHARE_IN_UNIT = 0.095
AMBASSADOR_PER_STAFF = 80
EMAIL_SHARE = 0.35
MOBILE_SHARE = 0.70
IDENTITY_NUMBER_SHARE = 0.55
INACTIVE_SHARE = 0.03
SECOND_EMPLOYMENT_SHARE = 0.01
DUPLICATE_SHARE = 0.002


@dataclass
class PlannedUnit:
    unit: Unit
    type_code: str
    staff: int = 0
    work_groups: list[Unit] = field(default_factory=list)


@dataclass
class RegionSummary:
    """What the generator made, for the command to print and tests to check."""

    programme: Programme
    units: int = 0
    enheter: int = 0
    people: int = 0
    employments: int = 0
    occupations: Counter = field(default_factory=Counter)
    # By SCB code: (person, unit) for each ambassador, the local project leader, the first
    # unit's manager and a staff member there; the demo log-ins are made from these.
    ambassadors: dict[str, list[tuple[Person, Unit]]] = field(default_factory=dict)
    project_leaders: dict[str, Person] = field(default_factory=dict)
    unit_managers: dict[str, tuple[Person, Unit]] = field(default_factory=dict)
    staff_members: dict[str, tuple[Person, Unit]] = field(default_factory=dict)
    surveys: object = None  # demo.surveys.SurveySummary when the rounds were made


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), summing exactly to total."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (exact[i] - counts[i], -i),
                          reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


_NOT_DECOMPOSABLE = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d"})


def ascii_slug(text: str) -> str:
    """'Kovačević' -> 'kovacevic', for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSABLE))
    plain = plain.encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


class _Generator:
    def __init__(self, seed: int, scale: float):
        self.rng = random.Random(seed)
        self.scale = scale
        self.occupations = {o.ssyk_code: o for o in Occupation.objects.all()}
        self.areas = {a.code: a for a in OperationArea.objects.all()}
        self.target_groups = {t.code: t for t in TargetGroup.objects.all()}
        self.name_keys: set[tuple[str, str, int]] = set()
        self.emails: set[str] = set()
        self.identity_numbers: set[str] = set()
        self.employee_counters: dict[int, int] = {}
        self.mobile_counter = 0
        self.people: list[Person] = []
        # Employment rows before saving: (person index, municipality, fields, units, groups)
        self.employments: list[tuple[int, Municipality, dict, list[Unit], list[str]]] = []

    # --- people -------------------------------------------------------------------------

    def _name(self, gender: str) -> tuple[str, str]:
        backgrounds = list(names.BACKGROUNDS.values())
        background = self.rng.choices(backgrounds, weights=[b[0] for b in backgrounds])[0]
        _, women, men, _surnames = background
        first_pool = men if gender == Person.Gender.MALE else women
        if gender == Person.Gender.NON_BINARY:
            first_pool = women + men
        surname_background = background
        if self.rng.random() < 0.10:  # mixed names: marriage, adoption, parents' choice
            surname_background = self.rng.choices(backgrounds,
                                                  weights=[b[0] for b in backgrounds])[0]
        return self.rng.choice(first_pool), self.rng.choice(surname_background[3])

    def _identity_number(self, birth_year: int, gender: str) -> str:
        while True:
            born = datetime.date(birth_year, 1, 1) + datetime.timedelta(
                days=self.rng.randrange(365)
            )
            serial = f"{self.rng.randrange(100):02d}"
            gender_digit = self.rng.randrange(10)
            if gender == Person.Gender.FEMALE and gender_digit % 2:
                gender_digit -= 1
            elif gender == Person.Gender.MALE and gender_digit % 2 == 0:
                gender_digit += 1
            digits = f"{born:%y%m%d}{serial}{gender_digit}"
            number = f"{born.year:04d}{born:%m%d}{serial}{gender_digit}{luhn_check_digit(digits)}"
            if number not in self.identity_numbers:
                self.identity_numbers.add(number)
                return number

    def _email(self, first: str, last: str, slug: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        candidate, n = f"{base}@{slug}.example", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{base}{n}@{slug}.example"
        self.emails.add(candidate)
        return candidate

    def _mobile(self) -> str:
        number = 5 + self.mobile_counter % 95
        self.mobile_counter += 1
        return f"070-174 06 {number:02d}"

    def new_person(self, slug: str, *, manager: bool = False,
                   copy_of: Person | None = None) -> int:
        """Create (unsaved) a person and return their index; copy_of makes a likely duplicate."""
        rng = self.rng
        if copy_of is not None:
            gender, birth_year = copy_of.gender, copy_of.birth_year
            first, last = copy_of.first_name, copy_of.last_name
        else:
            roll = rng.random()
            female_share = 0.78 if manager else 0.865
            if roll < female_share:
                gender = Person.Gender.FEMALE
            elif roll < 0.996:
                gender = Person.Gender.MALE
            else:
                gender = Person.Gender.NON_BINARY
            while True:
                birth_year = rng.randint(1962, 1993) if manager else rng.randint(1960, 2005)
                first, last = self._name(gender)
                if (first, last, birth_year) not in self.name_keys:
                    break
        self.name_keys.add((first, last, birth_year))
        has_email = manager or rng.random() < EMAIL_SHARE
        person = Person(
            first_name=first, last_name=last, gender=gender, birth_year=birth_year,
            email=self._email(first, last, slug) if has_email else "",
            mobile=self._mobile() if rng.random() < MOBILE_SHARE else "",
            pseudonym=uuid.UUID(int=rng.getrandbits(128), version=4),
        )
        if copy_of is None and rng.random() < IDENTITY_NUMBER_SHARE:
            person.identity_number = self._identity_number(birth_year, gender)
        self.people.append(person)
        return len(self.people) - 1

    def employ(self, index: int, municipality: Municipality, *, ssyk: str, title: str,
               units: list[Unit], groups: list[str], active: bool = True) -> None:
        """Plan an employment for the person at `index`."""
        rng = self.rng
        person = self.people[index]
        counter = self.employee_counters.get(municipality.pk, 10000)
        counter += rng.randint(1, 9)
        self.employee_counters[municipality.pk] = counter
        occupation = self.occupations[ssyk]
        earliest = max(datetime.date(person.birth_year + 19, 1, 1), datetime.date(1985, 1, 1))
        span = (REFERENCE_DATE - datetime.timedelta(days=30) - earliest).days
        started_on = earliest + datetime.timedelta(days=rng.randrange(max(span, 1)))
        fields = {
            "employee_id": str(counter), "job_title": title, "occupation": occupation,
            "staff_category": occupation.staff_category, "started_on": started_on,
            "is_active": active,
        }
        if not active:
            fields["ended_on"] = datetime.date(2024, 1, 1) + datetime.timedelta(
                days=rng.randrange(360)
            )
            fields["started_on"] = min(started_on, fields["ended_on"])
        self.employments.append((index, municipality, fields, units, groups))

    # --- units --------------------------------------------------------------------------

    def build_units(
        self, municipality: Municipality, n_units: int
    ) -> tuple[Unit, list[Unit], list[PlannedUnit]]:
        """The förvaltning → område → enhet tree of one municipality (work groups come later,
        once staff numbers are known): the administration, its areas and the planned units."""
        types = list(CORE_TYPES[:n_units])
        extra = apportion(max(n_units - len(CORE_TYPES), 0), list(TYPE_SHARES.values()))
        for code, count in zip(TYPE_SHARES, extra, strict=True):
            types += [code] * count
        n_areas = 2 if n_units < 10 else 3 if n_units < 20 else 4
        area_names = AREA_NAMES[n_areas]
        administration = create_unit(
            municipality, name=names.ADMINISTRATIONS[municipality.code],
            kind=Unit.Kind.ADMINISTRATION, code=f"{municipality.code}-100",
        )
        areas: dict[str, Unit] = {}
        code_counter = 100
        places = list(names.PLACES[municipality.code])
        nursing_homes = list(names.NURSING_HOMES[municipality.code])
        streets = list(names.STREETS)
        self.rng.shuffle(places)
        self.rng.shuffle(streets)
        used = Counter()
        planned: list[PlannedUnit] = []
        for type_code in sorted(types, key=list(UNIT_TYPES).index):
            unit_type = UNIT_TYPES[type_code]
            area_name = area_names[unit_type.area]
            if area_name not in areas:
                code_counter += 1
                areas[area_name] = create_unit(
                    municipality, name=area_name, parent=administration, kind=Unit.Kind.AREA,
                    operation_area=self.areas[unit_type.operation_area],
                    code=f"{municipality.code}-{code_counter}",
                )
            index = used[type_code]
            used[type_code] += 1
            name = self._unit_name(type_code, index, places, nursing_homes, streets)
            code_counter += 1
            unit = create_unit(
                municipality, name=name, parent=areas[area_name], kind=Unit.Kind.UNIT,
                code=f"{municipality.code}-{code_counter}",
                operation_area=self.areas[unit_type.operation_area],
            )
            planned.append(PlannedUnit(unit, type_code))
        return administration, list(areas.values()), planned

    @staticmethod
    def _unit_name(type_code: str, index: int, places, nursing_homes, streets) -> str:
        # Each type starts at its own place, so one village does not name every kind of unit.
        place = places[(index + 3 * list(UNIT_TYPES).index(type_code)) % len(places)]
        suffix = "" if index < len(places) else f" {index // len(places) + 1}"
        if type_code == "nursing_home":
            if index < len(nursing_homes):
                return nursing_homes[index]
            return f"{place}s vård- och omsorgsboende{suffix}"
        street = streets[index % len(streets)]
        return {
            "short_stay": f"Korttidsboende {place}{suffix}",
            "home_care": f"Hemtjänst {place}{suffix}",
            "home_nursing": f"Hemsjukvård {place}{suffix}",
            "group_home": f"Gruppbostad {street}",
            "service_home": f"Servicebostad {streets[-1 - index % len(streets)]}",
            "housing_support": f"Boendestöd {place}{suffix}",
            "daily_activity": f"Daglig verksamhet {place}{suffix}",
            "personal_assistance": f"Personlig assistans {place}{suffix}",
        }[type_code]

    def add_work_groups(self, planned: PlannedUnit) -> None:
        """Larger nursing homes have wards and larger home-care groups have teams."""
        if planned.staff < 30 or planned.type_code not in ("nursing_home", "home_care"):
            return
        pool = names.WARDS if planned.type_code == "nursing_home" else names.HOME_CARE_TEAMS
        count = 2 if planned.staff < 50 else 3
        prefix = "Avdelning " if planned.type_code == "nursing_home" else ""
        for group_name in pool[:count]:
            planned.work_groups.append(create_unit(
                planned.unit.municipality, name=f"{prefix}{group_name}", parent=planned.unit,
                kind=Unit.Kind.WORK_GROUP,
            ))


def _staff_numbers(gen: _Generator, planned: list[PlannedUnit], total: int) -> None:
    weights = [UNIT_TYPES[p.type_code].mean_staff * gen.rng.uniform(0.75, 1.25) for p in planned]
    for p, count in zip(planned, apportion(total, weights), strict=True):
        p.staff = max(count, 3)


@transaction.atomic
def generate_region(*, seed: int = SEED, scale: float = 1.0, surveys: bool = True) -> RegionSummary:
    """Create the demo programme, municipalities' unit trees, staff and employments, and
    (unless `surveys` is False) the self-assessment rounds of `demo.surveys`."""
    gen = _Generator(seed, scale)
    programme = Programme.objects.create(**PROGRAMME)
    ProgrammeTarget.objects.bulk_create(
        ProgrammeTarget(programme=programme, target_group=gen.target_groups[code], people=n)
        for code, n in PROGRAMME_TARGETS.items()
    )
    municipalities = Municipality.objects.in_bulk(
        [code for code, _, _ in MUNICIPALITIES], field_name="code"
    )
    programme.municipalities.set(municipalities.values())
    summary = RegionSummary(programme=programme)

    plans: dict[str, list[PlannedUnit]] = {}
    overhead: dict[str, tuple[Unit, list[Unit]]] = {}
    for code, full_units, _ in MUNICIPALITIES:
        n_units = max(len(CORE_TYPES), round(full_units * scale))
        administration, areas, plans[code] = gen.build_units(municipalities[code], n_units)
        overhead[code] = (administration, areas)
    every_unit = [p for code in plans for p in plans[code]]
    fixed = sum(1 + len(areas) for _, areas in overhead.values())
    _staff_numbers(gen, every_unit, max(round(FULL_STAFF * scale) - fixed, 3 * len(every_unit)))

    groups = TargetGroup.Code
    base_indexes: dict[str, list[tuple[int, PlannedUnit, Unit]]] = {}
    for code, _, slug in MUNICIPALITIES:
        municipality = municipalities[code]
        administration, areas = overhead[code]
        leader = gen.new_person(slug, manager=True)
        gen.employ(leader, municipality, ssyk="2421", title="Lokal projektledare, Modig",
                   units=[administration], groups=[groups.LOCAL_PROJECT_LEADER])
        summary.project_leaders[code] = gen.people[leader]
        for position, area in enumerate(areas):
            manager = gen.new_person(slug, manager=True)
            is_elderly = area.operation_area.code == ELDERLY
            gen.employ(manager, municipality, ssyk="1531" if is_elderly else "1521",
                       title="Områdeschef", units=[area],
                       groups=[groups.STRATEGIST if position == 0 else
                               groups.OPERATIONAL_MANAGER])
        base_indexes[code] = []
        for planned in plans[code]:
            gen.add_work_groups(planned)
            unit_type = UNIT_TYPES[planned.type_code]
            n_managers = max(1, round(planned.staff * MANAGEMENT_SHARE_IN_UNIT))
            is_elderly = unit_type.operation_area == ELDERLY
            for number in range(n_managers):
                manager = gen.new_person(slug, manager=True)
                gen.employ(manager, municipality, ssyk="1532" if is_elderly else "1522",
                           title="Biträdande enhetschef" if number % 2 else "Enhetschef",
                           units=[planned.unit], groups=[groups.OPERATIONAL_MANAGER])
                if number == 0 and code not in summary.unit_managers:
                    summary.unit_managers[code] = (gen.people[manager], planned.unit)
            n_base = planned.staff - n_managers
            counts = apportion(n_base, [w for _, _, w in unit_type.occupations])
            jobs = [(ssyk, title) for (ssyk, title, _), count
                    in zip(unit_type.occupations, counts, strict=True) for _ in range(count)]
            gen.rng.shuffle(jobs)
            for position, (ssyk, title) in enumerate(jobs):
                home = (planned.work_groups[position % len(planned.work_groups)]
                        if planned.work_groups else planned.unit)
                index = gen.new_person(slug)
                active = gen.rng.random() >= INACTIVE_SHARE
                gen.employ(index, municipality, ssyk=ssyk, title=title, units=[home],
                           groups=[groups.BASE_STAFF], active=active)
                if active and ssyk not in ("2221", "2272", "2273"):
                    base_indexes[code].append((len(gen.employments) - 1, planned, home))

    _appoint_ambassadors(gen, base_indexes, summary)
    _add_second_employments(gen, municipalities, plans, base_indexes)
    _add_likely_duplicates(gen, municipalities, plans, summary)
    _save(gen)

    summary.units = Unit.objects.filter(municipality__in=municipalities.values()).count()
    summary.enheter = len(every_unit)
    summary.people = len(gen.people)
    summary.employments = len(gen.employments)
    summary.occupations = Counter(fields["occupation"].ssyk_code
                                  for _, _, fields, _, _ in gen.employments)
    if surveys:
        from modig.demo.surveys import generate_surveys

        summary.surveys = generate_surveys(programme, seed=seed)
    return summary


def _appoint_ambassadors(gen: _Generator, base_indexes, summary: RegionSummary) -> None:
    """2–10 digital ambassadors per municipality, each at a different unit where possible.

    Units are visited in plan order, so Ale's first nursing home (Vikadamm) always has one for
    the ambassador log-in; the staff member log-in is a colleague there who is no ambassador.
    """
    for code, _, _ in MUNICIPALITIES:
        candidates = base_indexes[code]
        count = min(10, max(2, round(len(candidates) / AMBASSADOR_PER_STAFF)))
        by_unit: dict[int, list] = {}
        for entry in candidates:
            by_unit.setdefault(entry[1].unit.pk, []).append(entry)
        chosen = []
        for round_number in range(count):
            for entries in by_unit.values():
                if len(chosen) < count and round_number < len(entries):
                    chosen.append(entries[round_number])
        summary.ambassadors[code] = []
        for employment_index, planned, _home in chosen:
            person_index, _, _, _, target_groups = gen.employments[employment_index]
            target_groups.append(TargetGroup.Code.AMBASSADOR)
            summary.ambassadors[code].append((gen.people[person_index], planned.unit))
        chosen_indexes = {entry[0] for entry in chosen}
        first_unit = candidates[0][1].unit
        for employment_index, planned, _home in candidates:
            if planned.unit is first_unit and employment_index not in chosen_indexes:
                person_index = gen.employments[employment_index][0]
                summary.staff_members[code] = (gen.people[person_index], first_unit)
                break


def _add_second_employments(gen: _Generator, municipalities, plans, base_indexes) -> None:
    """About one in a hundred also works in a neighbouring municipality: one Person, two jobs."""
    codes = [code for code, _, _ in MUNICIPALITIES]
    all_candidates = [(code, entry) for code in codes for entry in base_indexes[code]]
    count = max(2, round(len(gen.people) * SECOND_EMPLOYMENT_SHARE))
    for code, (employment_index, _, _) in gen.rng.sample(all_candidates, count):
        other = gen.rng.choice([c for c in codes if c != code])
        person_index = gen.employments[employment_index][0]
        planned = gen.rng.choice(plans[other])
        unit_type = UNIT_TYPES[planned.type_code]
        ssyk, title, _ = unit_type.occupations[0]
        gen.employ(person_index, municipalities[other], ssyk=ssyk, title=title,
                   units=[planned.unit], groups=[TargetGroup.Code.BASE_STAFF])


def _add_likely_duplicates(gen: _Generator, municipalities, plans,
                           summary: RegionSummary) -> None:
    """A handful of people entered twice, in two municipalities, without identity numbers."""
    codes = [code for code, _, _ in MUNICIPALITIES]
    count = max(2, round(len(gen.people) * DUPLICATE_SHARE))
    home: dict[int, str] = {}
    for index, municipality, fields, _, groups in gen.employments:
        if groups == [TargetGroup.Code.BASE_STAFF] and fields["is_active"]:
            home.setdefault(index, municipality.code)
    log_in_people = {id(person) for person, _ in summary.staff_members.values()}
    originals = [i for i in home if id(gen.people[i]) not in log_in_people]
    for person_index in gen.rng.sample(originals, count):
        original = gen.people[person_index]
        original.identity_number = ""
        home_code = home[person_index]
        other = gen.rng.choice([c for c in codes if c != home_code])
        slug = next(s for c, _, s in MUNICIPALITIES if c == other)
        copy = gen.new_person(slug, copy_of=original)
        planned = gen.rng.choice(plans[other])
        ssyk, title, _ = UNIT_TYPES[planned.type_code].occupations[0]
        gen.employ(copy, municipalities[other], ssyk=ssyk, title=title, units=[planned.unit],
                   groups=[TargetGroup.Code.BASE_STAFF])


def _save(gen: _Generator) -> None:
    """Write people, employments and their links in a few bulk inserts."""
    Person.objects.bulk_create(gen.people, batch_size=500)
    employments = [
        Employment(person=gen.people[index], municipality=municipality, **fields)
        for index, municipality, fields, _, _ in gen.employments
    ]
    Employment.objects.bulk_create(employments, batch_size=500)
    UnitLink = Employment.units.through
    GroupLink = Employment.target_groups.through
    UnitLink.objects.bulk_create(
        [UnitLink(employment_id=e.pk, unit_id=u.pk)
         for e, (_, _, _, units, _) in zip(employments, gen.employments, strict=True)
         for u in units],
        batch_size=1000,
    )
    GroupLink.objects.bulk_create(
        [GroupLink(employment_id=e.pk, targetgroup_id=gen.target_groups[g].pk)
         for e, (_, _, _, _, groups) in zip(employments, gen.employments, strict=True)
         for g in groups],
        batch_size=1000,
    )
