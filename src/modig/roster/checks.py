"""Checking a staff list row by row against the reference data (units, occupations).

`RowChecker.check` turns one row of cells into a `CheckedRow` and a list of problems without
touching the database; `Reference.load` reads what it needs in a handful of queries first.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from modig.organisation.identity import InvalidIdentityNumber, normalise_identity_number
from modig.organisation.models import (
    Municipality,
    Occupation,
    OperationArea,
    Person,
    StaffCategory,
    TargetGroup,
    Unit,
)
from modig.roster import fields as f
from modig.roster.problems import ERROR, WARNING, problem

FORMULA_CHARS = ("=", "+", "-", "@")
MAX_LENGTHS = {"employee_id": 50, "first_name": 100, "last_name": 100, "job_title": 200,
               "unit": 200, "email": 254}
GENDERS = {
    "k": Person.Gender.FEMALE, "kvinna": Person.Gender.FEMALE, "f": Person.Gender.FEMALE,
    "female": Person.Gender.FEMALE, "woman": Person.Gender.FEMALE,
    "m": Person.Gender.MALE, "man": Person.Gender.MALE, "male": Person.Gender.MALE,
    "x": Person.Gender.NON_BINARY, "icke-binar": Person.Gender.NON_BINARY,
    "ickebinar": Person.Gender.NON_BINARY, "annat": Person.Gender.NON_BINARY,
    "non-binary": Person.Gender.NON_BINARY, "nonbinary": Person.Gender.NON_BINARY,
    "okant": Person.Gender.UNKNOWN, "unknown": Person.Gender.UNKNOWN,
}
STAFF_CATEGORIES = {
    "bas": StaffCategory.BASE, "baspersonal": StaffCategory.BASE, "base": StaffCategory.BASE,
    "medarbetare": StaffCategory.BASE,
    "chef": StaffCategory.MANAGEMENT, "ledning": StaffCategory.MANAGEMENT,
    "chefer": StaffCategory.MANAGEMENT, "management": StaffCategory.MANAGEMENT,
}
TARGET_GROUPS = {
    "strateg": "strategist", "strategist": "strategist",
    "verksamhetsledare": "operational_manager", "operativ chef": "operational_manager",
    "chef": "operational_manager", "operational manager": "operational_manager",
    "lokal projektledare": "local_project_leader", "projektledare": "local_project_leader",
    "local project leader": "local_project_leader",
    "digitaliseringsombud": "ambassador", "ombud": "ambassador", "ambassador": "ambassador",
    "baspersonal": "base_staff", "base staff": "base_staff",
}
OPERATION_AREAS = {
    "aldreomsorg": "elderly_care", "elderly care": "elderly_care", "ao": "elderly_care",
    "funktionsstod": "disability_support", "disability support": "disability_support",
    "lss": "disability_support", "funktionshinder": "disability_support",
    "funktionsnedsattning": "disability_support",
}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
)
_MOBILE_DIGITS = re.compile(r"[\s\-()./]")


def parse_date(text: str) -> datetime.date | None:
    """YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD (Excel date cells arrive as YYYY-MM-DD)."""
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} 00:00", text) else text
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def normalise_mobile(text: str) -> str:
    """'+46701234567' for a Swedish mobile number written any usual way, else ''."""
    digits = _MOBILE_DIGITS.sub("", text)
    if digits.startswith("+46"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0046"):
        digits = "0" + digits[4:].lstrip("0")
    elif digits.startswith("46") and len(digits) == 11:
        digits = "0" + digits[2:]
    if re.fullmatch(r"07\d{8}", digits):
        return "+46" + digits[1:]
    return ""


def path_label(path: tuple[str, ...]) -> str:
    return " > ".join(path)


@dataclass(slots=True)
class CheckedRow:
    row: int
    employee_id: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    mobile: str = ""
    identity_number: str = ""
    birth_year: int | None = None
    gender: str = ""
    job_title: str = ""
    occupation_id: int | None = None
    staff_category: str = ""
    target_group_ids: tuple[int, ...] | None = None
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    unit_id: int | None = None  # an existing unit
    unit_path: tuple[str, ...] = ()  # names from the top, as written
    has_error: bool = False


@dataclass
class Reference:
    """What a check needs from the database, loaded once per check."""

    municipality: Municipality
    units_by_path: dict[tuple[str, ...], int] = field(default_factory=dict)
    units_by_name: dict[str, list[int]] = field(default_factory=dict)
    units_by_code: dict[str, int] = field(default_factory=dict)
    unit_paths: dict[int, tuple[str, ...]] = field(default_factory=dict)
    unit_area: dict[int, str] = field(default_factory=dict)
    unit_names: list[str] = field(default_factory=list)
    occupations: dict[str, tuple[int, str]] = field(default_factory=dict)  # code → (id, cat)
    occupation_titles: dict[str, str] = field(default_factory=dict)  # folded title → code
    areas: dict[str, int] = field(default_factory=dict)
    target_groups: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, municipality: Municipality) -> "Reference":
        ref = cls(municipality)
        rows = list(
            Unit.objects.filter(municipality=municipality)
            .values_list("pk", "name", "parent_id", "code", "operation_area__code", "path")
        )
        names = {pk: name for pk, name, *_rest in rows}
        for pk, name, _parent, code, area, path in rows:
            ids = [int(part) for part in path.strip("/").split("/") if part]
            ids = ids if ids and ids[-1] == pk else [pk]
            folded = tuple(f.fold(names.get(i, "")) for i in ids)
            ref.unit_paths[pk] = tuple(names.get(i, "") for i in ids)
            ref.units_by_path[folded] = pk
            ref.units_by_name.setdefault(f.fold(name), []).append(pk)
            if code:
                ref.units_by_code[f.fold(code)] = pk
            ref.unit_area[pk] = area or ""
        ref.unit_names = sorted({name for _pk, name, *_rest in rows})
        for pk, code, title, category in Occupation.objects.values_list(
            "pk", "ssyk_code", "title_sv", "staff_category"
        ):
            ref.occupations[code] = (pk, category)
            ref.occupation_titles[f.fold(title)] = code
        ref.areas = dict(OperationArea.objects.values_list("code", "pk"))
        ref.target_groups = dict(TargetGroup.objects.values_list("code", "pk"))
        return ref

    def area_of_path(self, folded: tuple[str, ...]) -> str:
        """The operation area of the deepest existing unit on a path."""
        for end in range(len(folded), 0, -1):
            unit_id = self.units_by_path.get(folded[:end])
            if unit_id and self.unit_area.get(unit_id):
                return self.unit_area[unit_id]
        return ""


class RowChecker:
    """Checks rows of one file with one mapping; collects problems and the new unit paths."""

    def __init__(self, reference: Reference, headers: list[str], mapping: dict[str, str],
                 confirmed_units: Iterable[str] = ()):
        self.ref = reference
        self.columns: dict[str, list[tuple[int, str]]] = {}
        for index, header in enumerate(headers):
            key = mapping.get(header, "")
            if key:
                self.columns.setdefault(key, []).append((index, header))
        self.mapped = frozenset(self.columns)
        self.confirmed = {tuple(f.fold(p) for p in f.PATH_SEPARATOR.split(label))
                          for label in confirmed_units}
        self.new_units: dict[tuple[str, ...], tuple[str, ...]] = {}  # folded → as written
        self.problems: list[dict] = []
        self.max_birth_year = datetime.date.today().year - 14
        self.title_names = f.TITLE_NAMES + sorted(self.ref.occupation_titles)

    def _cell(self, cells: list[str], row: int, key: str) -> tuple[str, str]:
        """The trimmed text of the field's cell and the column header, with cell problems."""
        columns = self.columns.get(key)
        if not columns:
            return "", ""
        index, header = columns[0]
        raw = cells[index] if index < len(cells) else ""
        return self._clean(raw, row, header, key), header

    def _clean(self, raw: str, row: int, header: str, key: str) -> str:
        text = " ".join(raw.split())
        if text != raw and text:
            self.problems.append(problem(row, header, "stray_spaces", WARNING, value=text))
        is_phone = key == "mobile" and text.startswith("+") and normalise_mobile(text)
        if text.startswith(FORMULA_CHARS) and not is_phone:
            self.problems.append(problem(row, header, "formula", char=text[0]))
            return ""
        limit = MAX_LENGTHS.get(key)
        if limit and len(text) > limit:
            self.problems.append(problem(row, header, "too_long", max=limit))
            return ""
        return text

    def _error(self, result: CheckedRow, header: str, code: str, **params) -> None:
        self.problems.append(problem(result.row, header, code, **params))
        result.has_error = True

    def check(self, row: int, cells: list[str]) -> CheckedRow:
        result = CheckedRow(row=row)
        before = len(self.problems)
        for key in ("employee_id", "first_name", "last_name"):
            value, header = self._cell(cells, row, key)
            setattr(result, key, value)
            if not value and header:
                self._error(result, header, "required")
        self._contact(result, cells)
        self._identity(result, cells)
        self._categories(result, cells)
        self._dates(result, cells)
        area = self._unit(result, cells)
        self._occupation(result, cells, area)
        if any(p["severity"] == ERROR for p in self.problems[before:]):
            result.has_error = True
        return result

    def _contact(self, result: CheckedRow, cells: list[str]) -> None:
        email, header = self._cell(cells, result.row, "email")
        if email:
            try:
                validate_email(email)
                result.email = email.lower()
            except ValidationError:
                self._error(result, header, "bad_email", value=email)
        mobile, header = self._cell(cells, result.row, "mobile")
        if mobile:
            result.mobile = normalise_mobile(mobile)
            if not result.mobile:
                self._error(result, header, "bad_mobile", value=mobile)

    def _identity(self, result: CheckedRow, cells: list[str]) -> None:
        number, id_header = self._cell(cells, result.row, "identity_number")
        if number:
            try:
                result.identity_number = normalise_identity_number(number)
            except InvalidIdentityNumber as error:
                self._error(result, id_header, f"identity_{error.code}")
        year_text, header = self._cell(cells, result.row, "birth_year")
        if year_text:
            if year_text.isdigit() and 1900 <= int(year_text) <= self.max_birth_year:
                result.birth_year = int(year_text)
            else:
                self._error(result, header, "birth_year", value=year_text, min=1900,
                            max=self.max_birth_year)
        if result.identity_number:
            from_number = int(result.identity_number[:4])
            if result.birth_year and result.birth_year != from_number:
                self.problems.append(problem(result.row, header, "birth_year_mismatch", WARNING))
            result.birth_year = from_number

    def _categories(self, result: CheckedRow, cells: list[str]) -> None:
        gender, header = self._cell(cells, result.row, "gender")
        if gender:
            result.gender = GENDERS.get(f.fold(gender).replace(" ", ""), "") or GENDERS.get(
                f.fold(gender), "")
            if not result.gender:
                self._error(result, header, "bad_gender", value=gender)
        category, header = self._cell(cells, result.row, "staff_category")
        if category:
            result.staff_category = STAFF_CATEGORIES.get(f.fold(category), "")
            if not result.staff_category:
                self._error(result, header, "bad_staff_category", value=category)
        groups, header = self._cell(cells, result.row, "target_groups")
        if "target_groups" in self.mapped:
            ids = []
            for name in filter(None, (part.strip() for part in re.split(r"[,;]", groups))):
                code = TARGET_GROUPS.get(f.fold(name)) or (
                    f.fold(name).replace(" ", "_") if f.fold(name).replace(" ", "_")
                    in self.ref.target_groups else "")
                if code:
                    ids.append(self.ref.target_groups[code])
                else:
                    self._error(result, header, "bad_target_group", value=name)
            result.target_group_ids = tuple(sorted(set(ids)))

    def _dates(self, result: CheckedRow, cells: list[str]) -> None:
        headers = {}
        for key in ("started_on", "ended_on"):
            text, header = self._cell(cells, result.row, key)
            headers[key] = header
            if text:
                value = parse_date(text)
                if value is None:
                    self._error(result, header, "bad_date", value=text)
                setattr(result, key, value)
        if result.started_on and result.ended_on and result.ended_on < result.started_on:
            self._error(result, headers["ended_on"], "date_order")

    def _unit(self, result: CheckedRow, cells: list[str]) -> str:
        """Find the row's unit (or note it as a new one); return its operation area code."""
        area_text, area_header = self._cell(cells, result.row, "operation_area")
        area = ""
        if area_text:
            area = OPERATION_AREAS.get(f.fold(area_text), "")
            if not area and f.fold(area_text) in self.ref.areas:
                area = f.fold(area_text)
            if not area:
                self._error(result, area_header, "unknown_operation_area", value=area_text)
        name, header = self._cell(cells, result.row, "unit")
        if not name:
            if header:
                self._error(result, header, "required")
            return area
        parents: list[str] = []
        for index, parent_header in self.columns.get("unit_parents", []):
            raw = cells[index] if index < len(cells) else ""
            text = self._clean(raw, result.row, parent_header, "unit")
            parents.extend(part for part in f.PATH_SEPARATOR.split(text) if part)
        path = (*parents, name)
        folded = tuple(f.fold(part) for part in path)
        unit_id = self.ref.units_by_path.get(folded)
        if unit_id is None and not parents:
            unit_id = self.ref.units_by_code.get(folded[-1])
            candidates = self.ref.units_by_name.get(folded[-1], [])
            if unit_id is None and len(candidates) > 1:
                self._error(result, header, "ambiguous_unit", value=name)
                return area
            if unit_id is None and candidates:
                unit_id = candidates[0]
        elif unit_id is None:
            candidates = [pk for pk in self.ref.units_by_name.get(folded[-1], [])
                          if tuple(map(f.fold, self.ref.unit_paths[pk]))[-len(folded):] == folded]
            if len(candidates) == 1:
                unit_id = candidates[0]
        if unit_id is not None:
            result.unit_id = unit_id
            result.unit_path = self.ref.unit_paths[unit_id]
            return area or self.ref.unit_area.get(unit_id, "")
        result.unit_path = path
        for end in range(1, len(path) + 1):
            if folded[:end] not in self.ref.units_by_path:
                self.new_units.setdefault(folded[:end], path[:end])
        if folded not in self.confirmed:
            self._error(result, header, "unknown_unit", value=path_label(path),
                        suggestion=f.closest(name, self.ref.unit_names))
        return area or self.ref.area_of_path(folded)

    def _occupation(self, result: CheckedRow, cells: list[str], area: str) -> None:
        code, code_header = self._cell(cells, result.row, "ssyk_code")
        title, title_header = self._cell(cells, result.row, "job_title")
        result.job_title = title
        ssyk = ""
        if code:
            if re.fullmatch(r"\d{4}", code) and code in self.ref.occupations:
                ssyk = code
            else:
                self._error(result, code_header, "unknown_ssyk", value=code)
                return
        elif title:
            ssyk = f.ssyk_for_title(title, disability_support=area == "disability_support")
            ssyk = ssyk or self.ref.occupation_titles.get(f.fold(title), "")
            if not ssyk or ssyk not in self.ref.occupations:
                self._error(result, title_header, "unknown_occupation", value=title,
                            suggestion=f.closest(title, self.title_names))
                return
        if ssyk:
            result.occupation_id, category = self.ref.occupations[ssyk]
            result.staff_category = result.staff_category or category
        result.staff_category = result.staff_category or StaffCategory.BASE

    def new_unit_labels(self) -> list[str]:
        return [path_label(path) for path in sorted(self.new_units.values(),
                                                   key=lambda p: tuple(map(f.fold, p)))]


def check_duplicates(rows: list[CheckedRow], id_header: str, number_header: str) -> list[dict]:
    """Employee ids that appear twice; identity numbers shared by rows with other names."""
    problems: list[dict] = []
    first_by_id: dict[str, CheckedRow] = {}
    first_by_number: dict[str, CheckedRow] = {}
    for result in rows:
        if result.employee_id:
            first = first_by_id.setdefault(result.employee_id, result)
            if first is not result:
                problems.append(problem(result.row, id_header, "duplicate_employee_id",
                                        value=result.employee_id, other_row=first.row))
                result.has_error = True
        if result.identity_number:
            first = first_by_number.setdefault(result.identity_number, result)
            if first is not result and (
                f.fold(first.first_name), f.fold(first.last_name)
            ) != (f.fold(result.first_name), f.fold(result.last_name)):
                problems.append(problem(result.row, number_header, "duplicate_identity",
                                        other_row=first.row))
                result.has_error = True
    return problems
