"""The monthly participant report to SCB for the ESF (docs/esf-reports.md).

A person is a participant from their first ledger entry to their last one (training.ledger is
the one definition of training time; nothing here recomputes hours). They are reported:
- in the month of their first entry, with their start date;
- in the month of their last entry, with their end date, once their participation has ended:
  the programme period is over, or they have no current employment in the programme's
  municipalities. Someone who leaves after the month of their last entry therefore changes
  that earlier month: a correction, handled by regenerating from it.
Both in the same month: one row with both dates. People are identified by their identity
number; those with protected identity or without a number get the placeholder form (birth
date and a gender code), never a real number.
"""

import datetime
import hashlib
import json

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.organisation.identity import birth_date_of, is_coordination_number
from modig.organisation.models import Employment, Person, Programme
from modig.reports.models import EducationLevel, EmploymentStatus
from modig.training import ledger

COLUMNS = (
    ("month", _("Report month")),
    ("identity", _("Identity")),
    ("identity_form", _("Identity form")),
    ("birth_date", _("Birth date")),
    ("gender", _("Gender code")),
    ("age", _("Age at start")),
    ("education_level", _("Education level")),
    ("employment_status", _("Employment status")),
    ("start_date", _("Start date")),
    ("end_date", _("End date")),
)
IDENTITY_COLUMN = 1

PERSONAL_NUMBER, COORDINATION_NUMBER, PLACEHOLDER = (
    "personnummer", "samordningsnummer", "reservnummer")
GENDER_CODES = {Person.Gender.FEMALE: "K", Person.Gender.MALE: "M"}  # others: "X"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def report_months(programme: Programme, today: datetime.date | None = None) -> list:
    """The months that can be reported: from the programme's first month to the last month
    that is over (and not after the programme's last month)."""
    today = today or timezone.localdate()
    last = min(month_start(programme.ends_on), month_start(today) - datetime.timedelta(days=1))
    months, month = [], month_start(programme.starts_on)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _spans_touching(programme: Programme, month: datetime.date) -> list[tuple]:
    """(person id, first entry date, last entry date) for the people whose first or last
    ledger entry falls in the month; one GROUP BY over the ledger's entries in the database."""
    union_sql, params = ledger.entries(programme).query.sql_with_params()
    first, last = month.isoformat(), month_end(month).isoformat()
    sql = ("SELECT e.entry_person, MIN(e.entry_on), MAX(e.entry_on) "  # noqa: S608
           f"FROM ({union_sql}) e GROUP BY e.entry_person "
           "HAVING (MIN(e.entry_on) BETWEEN %s AND %s) OR (MAX(e.entry_on) BETWEEN %s AND %s)")
    # Only Django-compiled SQL and fixed text are formatted in; values stay parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, first, last, first, last))
        return [(person, _as_date(start), _as_date(end)) for person, start, end in cursor]


def _as_date(value) -> datetime.date:
    # SQLite gives the aggregate as text, PostgreSQL as a date.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _still_employed(programme: Programme, person_ids, today: datetime.date) -> set[int]:
    return set(
        Employment.objects.filter(
            person_id__in=person_ids, municipality__in=programme.municipalities.all(),
            is_active=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values_list("person_id", flat=True))


def _birth_date(person: Person) -> tuple[str, datetime.date | None]:
    """The birth date as YYYYMMDD: from the identity number, else the birth year with 0000
    for the unknown month and day, else 00000000."""
    if person.identity_number:
        born = birth_date_of(person.identity_number)
        return born.strftime("%Y%m%d"), born
    if person.birth_year:
        return f"{person.birth_year:04d}0000", None
    return "00000000", None


def _age(person: Person, born: datetime.date | None, start: datetime.date) -> int | str:
    if born is not None:
        return start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    if person.birth_year:
        return start.year - person.birth_year
    return ""


def _identity(person: Person, birth: str, gender: str) -> tuple[str, str]:
    if person.identity_number and not person.has_protected_identity:
        form = (COORDINATION_NUMBER if is_coordination_number(person.identity_number)
                else PERSONAL_NUMBER)
        return person.identity_number, form
    return f"{birth}-{gender}", PLACEHOLDER


def month_rows(programme: Programme, month: datetime.date,
               today: datetime.date | None = None) -> list[list]:
    """The rows of one month's file, recomputed from the ledger, ordered by identity."""
    today = today or timezone.localdate()
    spans = _spans_touching(programme, month)
    ids = [person for person, _start, _end in spans]
    people = Person.objects.filter(pk__in=ids).select_related("esf_background").in_bulk()
    ended_programme = programme.ends_on < today
    employed = set() if ended_programme else _still_employed(programme, ids, today)
    month_last = month_end(month)
    rows = []
    for person_id, start, end in spans:
        person = people[person_id]
        has_ended = ended_programme or person_id not in employed
        starts_here = month <= start <= month_last
        ends_here = has_ended and month <= end <= month_last
        if not (starts_here or ends_here):
            continue
        birth, born = _birth_date(person)
        gender = GENDER_CODES.get(person.gender, "X")
        identity, form = _identity(person, birth, gender)
        background = getattr(person, "esf_background", None)
        rows.append([
            month.strftime("%Y-%m"), identity, form, birth, gender, _age(person, born, start),
            background.education_level if background else EducationLevel.UNKNOWN.value,
            background.employment_status if background else EmploymentStatus.UNKNOWN.value,
            start.isoformat(), end.isoformat() if ends_here else "",
        ])
    rows.sort(key=lambda row: (row[IDENTITY_COLUMN], row[8]))
    return rows


def content_hash(rows: list[list]) -> str:
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
