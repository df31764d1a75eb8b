"""Matching checked rows to the people and employments already in Modig, and writing them.

A person is matched by identity number where the row has one, else through the employment
with the same employee id in the municipality. Everything already stored is loaded into
dicts first, so the number of queries does not grow with the number of rows (apart from
batches of a few thousand).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from modig.organisation.models import Employment, Municipality, Person
from modig.roster import fields as f
from modig.roster.checks import CheckedRow
from modig.roster.problems import problem

BATCH = 2000
CONFLICT = object()
PERSON_FIELDS = ("first_name", "last_name", "email", "mobile", "identity_number", "birth_year",
                 "gender")
# A person is shared between municipalities: an empty cell never clears what is stored.
EMPLOYMENT_FIELDS = ("job_title", "occupation_id", "staff_category", "started_on", "ended_on",
                     "is_active")
FIELD_SOURCES = {"occupation_id": ("job_title", "ssyk_code"), "started_on": ("started_on",),
                 "ended_on": ("ended_on",), "job_title": ("job_title",),
                 "staff_category": ("staff_category", "job_title", "ssyk_code")}


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class Plan:
    new_people: list[Person] = field(default_factory=list)
    changed_people: dict[int, Person] = field(default_factory=dict)
    new_employments: list[Employment] = field(default_factory=list)
    new_employment_keys: set[int] = field(default_factory=set)
    changed_employments: dict[int, Employment] = field(default_factory=dict)
    # employment (object) → unit path or id; filled for new and changed unit links
    unit_links: list[tuple[Employment, object]] = field(default_factory=list)
    relink_employment_ids: list[int] = field(default_factory=list)
    target_links: list[tuple[Employment, tuple[int, ...]]] = field(default_factory=list)
    retarget_employment_ids: list[int] = field(default_factory=list)
    missing_employment_ids: list[int] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Matcher:
    """Loads a municipality's stored roster once and plans the changes a file makes."""

    def __init__(self, municipality: Municipality, rows: list[CheckedRow], mapped: frozenset):
        self.municipality = municipality
        self.mapped = mapped
        self.today = timezone.localdate()
        self.employments = {
            e.employee_id: e
            for e in Employment.objects.filter(municipality=municipality).only(
                "pk", "person_id", "employee_id", *EMPLOYMENT_FIELDS[:-1], "is_active",
                "municipality_id")
        }
        person_fields = ("pk", *PERSON_FIELDS)
        self.people = {
            p.pk: p for p in Person.objects.filter(
                pk__in=Employment.objects.filter(municipality=municipality).values("person_id")
            ).only(*person_fields)
        }
        self.people_by_number = {p.identity_number: p for p in self.people.values()
                                 if p.identity_number}
        wanted = sorted({r.identity_number for r in rows if r.identity_number}
                        - set(self.people_by_number))
        for chunk in _chunks(wanted):
            for person in Person.objects.filter(identity_number__in=chunk).only(*person_fields):
                self.people[person.pk] = person
                self.people_by_number[person.identity_number] = person
        self.unit_ids: dict[int, set[int]] = {}
        for employment_id, unit_id in Employment.units.through.objects.filter(
            employment__municipality=municipality
        ).values_list("employment_id", "unit_id"):
            self.unit_ids.setdefault(employment_id, set()).add(unit_id)
        self.target_ids: dict[int, set[int]] = {}
        if "target_groups" in mapped:
            for employment_id, group_id in Employment.target_groups.through.objects.filter(
                employment__municipality=municipality
            ).values_list("employment_id", "targetgroup_id"):
                self.target_ids.setdefault(employment_id, set()).add(group_id)

    def _maps(self, model_field: str) -> bool:
        return any(source in self.mapped for source in FIELD_SOURCES.get(model_field, ()))

    def _person_for(self, row: CheckedRow, plan: Plan, new_by_number: dict):
        """The stored (or planned) person the row is about, None for a new one, or CONFLICT."""
        employment = self.employments.get(row.employee_id)
        person = self.people_by_number.get(row.identity_number) if row.identity_number else None
        if employment is not None:
            holder = self.people[employment.person_id]
            if person is not None and person.pk != holder.pk:
                plan.problems.append(problem(row.row, "", "person_conflict"))
                return CONFLICT
            if row.identity_number and holder.identity_number not in ("", row.identity_number):
                plan.problems.append(problem(row.row, "", "identity_changed",
                                             value=row.employee_id))
                return CONFLICT
            return holder
        if person is None and row.identity_number:
            person = new_by_number.get(row.identity_number)
        return person

    def _update_person(self, person: Person, row: CheckedRow) -> bool:
        changed = False
        for name in PERSON_FIELDS:
            value = getattr(row, name)
            if value in ("", None) or getattr(person, name) == value:
                continue
            setattr(person, name, value)
            changed = True
        return changed

    def _employment_values(self, row: CheckedRow) -> dict:
        values = {name: getattr(row, name) for name in EMPLOYMENT_FIELDS[:-1]
                  if self._maps(name)}
        ended_on = values.get("ended_on")
        values["is_active"] = ended_on is None or ended_on >= self.today
        return values

    def plan(self, rows: list[CheckedRow]) -> Plan:
        """What committing these rows would create, update and leave alone."""
        plan = Plan()
        new_by_number: dict[str, Person] = {}
        seen: set[str] = set()
        counted_people: set[int] = set()
        for row in rows:
            seen.add(row.employee_id)
            if row.has_error:
                continue
            person = self._person_for(row, plan, new_by_number)
            if person is CONFLICT:
                continue
            person_changed = False
            if person is None:
                person = Person(**{n: getattr(row, n) or Person._meta.get_field(n).get_default()
                                   for n in PERSON_FIELDS})
                plan.new_people.append(person)
                if row.identity_number:
                    new_by_number[row.identity_number] = person
            elif person.pk and id(person) not in counted_people:
                counted_people.add(id(person))
                if self._update_person(person, row):
                    plan.changed_people[person.pk] = person
                    person_changed = True
            unit_target = row.unit_id if row.unit_id else row.unit_path
            values = self._employment_values(row)
            employment = self.employments.get(row.employee_id)
            if employment is None:
                employment = Employment(municipality=self.municipality, person=person,
                                        employee_id=row.employee_id, **values)
                plan.new_employments.append(employment)
                plan.new_employment_keys.add(id(employment))
                plan.unit_links.append((employment, unit_target))
                plan.target_links.append((employment, row.target_group_ids or ()))
                plan.created += 1
                continue
            changed = person_changed
            for name, value in values.items():
                if getattr(employment, name) != value:
                    setattr(employment, name, value)
                    changed = True
            if changed:
                plan.changed_employments[employment.pk] = employment
            if self.unit_ids.get(employment.pk, set()) != ({row.unit_id} if row.unit_id else None):
                plan.relink_employment_ids.append(employment.pk)
                plan.unit_links.append((employment, unit_target))
                changed = True
            if row.target_group_ids is not None and set(row.target_group_ids) != \
                    self.target_ids.get(employment.pk, set()):
                plan.retarget_employment_ids.append(employment.pk)
                plan.target_links.append((employment, row.target_group_ids))
                changed = True
            if changed:
                plan.updated += 1
            else:
                plan.unchanged += 1
        plan.missing_employment_ids = [
            e.pk for eid, e in self.employments.items() if e.is_active and eid not in seen
        ]
        return plan


def _update_rows(model, objects: list, names: list[str]) -> None:
    """One parameterised UPDATE per row, sent in batches (Django's bulk_update spends most
    of a large import building CASE expressions in Python)."""
    if not objects:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [*(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields),
         obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for chunk in _chunks(params, 10 * BATCH):
            cursor.executemany(sql, chunk)


def _insert_links(through, column: str, pairs: list[tuple[int, int]]) -> None:
    """Many-to-many rows in plain batched INSERTs (bulk_create's per-object cost is the
    slowest part of a 50,000-row commit)."""
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(through._meta.db_table)} "  # noqa: S608 - names from models
           f"({quote('employment_id')}, {quote(column)}) VALUES (%s, %s)")
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs, 10 * BATCH):
            cursor.executemany(sql, chunk)


def apply_plan(plan: Plan, *, unit_ids_by_path: dict[tuple[str, ...], int],
               default_target_ids: dict[str, int], deactivate: bool) -> int:
    """Write a plan (inside the caller's transaction); return how many were deactivated."""
    now = timezone.now()
    Person.objects.bulk_create(plan.new_people, batch_size=BATCH)
    for employment in plan.new_employments:
        employment.person_id = employment.person.pk
    Employment.objects.bulk_create(plan.new_employments, batch_size=BATCH)
    for person in plan.changed_people.values():
        person.updated_at = now
    _update_rows(Person, list(plan.changed_people.values()), [*PERSON_FIELDS, "updated_at"])
    for employment in plan.changed_employments.values():
        employment.updated_at = now
    _update_rows(Employment, list(plan.changed_employments.values()),
                 [*EMPLOYMENT_FIELDS, "updated_at"])
    UnitLink = Employment.units.through
    for chunk in _chunks(plan.relink_employment_ids):
        UnitLink.objects.filter(employment_id__in=chunk).delete()
    _insert_links(UnitLink, "unit_id", [
        (employment.pk, target if isinstance(target, int)
         else unit_ids_by_path[tuple(f.fold(part) for part in target)])
        for employment, target in plan.unit_links
    ])
    GroupLink = Employment.target_groups.through
    for chunk in _chunks(plan.retarget_employment_ids):
        GroupLink.objects.filter(employment_id__in=chunk).delete()
    group_links = []
    for employment, groups in plan.target_links:
        if not groups and id(employment) in plan.new_employment_keys:
            default = "operational_manager" if employment.staff_category == "management" \
                else "base_staff"
            groups = (default_target_ids[default],) if default in default_target_ids else ()
        group_links.extend((employment.pk, group_id) for group_id in groups)
    _insert_links(GroupLink, "targetgroup_id", group_links)
    deactivated = 0
    if deactivate:
        for chunk in _chunks(plan.missing_employment_ids):
            deactivated += Employment.objects.filter(pk__in=chunk, is_active=True).update(
                is_active=False, updated_at=now)
    return deactivated

