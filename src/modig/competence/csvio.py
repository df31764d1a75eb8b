"""Competence frameworks as CSV files: export, and import with a preview.

Format (one row per competence, first row = column names, in any order):

    framework_code;framework_title_sv;framework_title_en;area_code;area_title_sv;area_title_en;
    competence_code;competence_title_sv;competence_title_en

- Required columns: framework_code, area_code, area_title_sv, competence_code,
  competence_title_sv. The others may be left out or empty.
- One framework per file. An area's titles repeat on each of its competences' rows and must
  be the same on every row (so a typo does not silently rename an area).
- UTF-8 with or without BOM; Windows-1252 (older Swedish Excel) is read too. Separator: semicolon
  (Swedish Excel), comma or tab, detected from the first row.
- Row order gives the order of areas and competences.

Import is all-or-nothing: `read_import` checks every row and builds a plan without touching
the database; `apply_import` writes the plan in one transaction. It adds and updates areas and
competences by code and never removes any (questionnaire items and answers may point at them).
Export writes the same format (UTF-8 with BOM, semicolons) so an exported file imports to the
same content.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from modig.competence import services
from modig.competence.models import Competence, CompetenceArea, Framework

COLUMNS = [
    "framework_code", "framework_title_sv", "framework_title_en",
    "area_code", "area_title_sv", "area_title_en",
    "competence_code", "competence_title_sv", "competence_title_en",
]
REQUIRED = ["framework_code", "area_code", "area_title_sv", "competence_code",
            "competence_title_sv"]
MAX_ROWS = 2000
LIMITS = {"framework_title_sv": 200, "framework_title_en": 200, "area_title_sv": 200,
          "area_title_en": 200, "competence_title_sv": 300, "competence_title_en": 300}


def export_csv(framework: Framework) -> str:
    """The framework as CSV text (with a BOM so Excel shows å, ä and ö)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    competences = (Competence.objects.filter(framework=framework).select_related("area")
                   .order_by("area__position", "area__code", "position", "code"))
    for competence in competences:
        area = competence.area
        writer.writerow([framework.code, framework.title_sv, framework.title_en,
                         area.code, area.title_sv, area.title_en,
                         competence.code, competence.title_sv, competence.title_en])
    return buffer.getvalue()


@dataclass
class PlannedRow:
    number: int  # row number in the file, the header being row 1
    values: dict
    status: str = ""  # "new", "changed", "same"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    framework_code: str = ""
    framework_title_sv: str = ""
    framework_title_en: str = ""
    framework: Framework | None = None
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    areas: dict = field(default_factory=dict)  # code -> {"title_sv", "title_en", "row"}

    @property
    def row_errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.row_errors and bool(self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_changed(self) -> int:
        return self.count("changed")

    @property
    def count_same(self) -> int:
        return self.count("same")

    @property
    def new_areas(self) -> list[str]:
        existing = set()
        if self.framework is not None:
            existing = set(self.framework.areas.values_list("code", flat=True))
        return [code for code in self.areas if code not in existing]


def decode(content: bytes) -> str:
    """Text of an uploaded file: UTF-8 (BOM or not), else Windows-1252 as Excel writes it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="strict")
    return text.lstrip("\ufeff")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ";"


def read_import(content: bytes) -> ImportPlan:
    """Check a CSV file and plan the import; the database is only read."""
    plan = ImportPlan()
    try:
        text = decode(content)
    except UnicodeDecodeError:
        plan.errors.append(_("The file could not be read. Save it as CSV (UTF-8) and try again."))
        return plan
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        plan.errors.append(_("The file is empty. Export a framework to see what it should "
                             "look like."))
        return plan
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        plan.errors.append(
            _("The first row must name the columns. Missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
        return plan
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        plan.errors.append(_("Unknown columns: %(columns)s. Use the column names from an "
                             "exported file.") % {"columns": ", ".join(unknown)})
        return plan
    index = {name: header.index(name) for name in COLUMNS if name in header}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(plan.rows) >= MAX_ROWS:
            plan.errors.append(_("The file has more than %(max)s rows. Split it up.")
                               % {"max": MAX_ROWS})
            break
        values = {name: (cells[i].strip() if i < len(cells) else "")
                  for name, i in index.items()}
        for name in COLUMNS:
            values.setdefault(name, "")
        plan.rows.append(PlannedRow(number=number, values=values))
    if not plan.rows:
        plan.errors.append(_("The file has no rows under the column names."))
        return plan
    _check_rows(plan)
    if not plan.errors:
        _compare_with_database(plan)
    return plan


def _check_rows(plan: ImportPlan) -> None:
    seen_competences: dict[str, int] = {}
    first = plan.rows[0].values
    plan.framework_code = first["framework_code"]
    for row in plan.rows:
        v, errors = row.values, row.errors
        for name in REQUIRED:
            if not v[name]:
                errors.append(_("%(column)s is empty.") % {"column": name})
        for name, limit in LIMITS.items():
            if len(v[name]) > limit:
                errors.append(_("%(column)s is longer than %(max)s characters.")
                              % {"column": name, "max": limit})
        for name in ("area_code", "competence_code"):
            if len(v[name]) > 10:
                errors.append(_("%(column)s is longer than 10 characters.") % {"column": name})
        if v["framework_code"] and v["framework_code"] != plan.framework_code:
            errors.append(_("The framework code is %(code)s, but the file is about "
                            "%(first)s. A file can only hold one framework.")
                          % {"code": v["framework_code"], "first": plan.framework_code})
        for name in ("framework_title_sv", "framework_title_en"):
            if v[name]:
                current = getattr(plan, name)
                if not current:
                    setattr(plan, name, v[name])
                elif v[name] != current:
                    errors.append(_("%(column)s is “%(title)s” here but “%(other)s” on an "
                                    "earlier row.")
                                  % {"column": name, "title": v[name], "other": current})
        code = v["competence_code"]
        if code:
            if code in seen_competences:
                errors.append(_("The competence code %(code)s is already on row %(row)s.")
                              % {"code": code, "row": seen_competences[code]})
            else:
                seen_competences[code] = row.number
        area_code = v["area_code"]
        if area_code and v["area_title_sv"]:
            area = plan.areas.get(area_code)
            if area is None:
                plan.areas[area_code] = {"title_sv": v["area_title_sv"],
                                         "title_en": v["area_title_en"], "row": row.number}
            else:
                for language in ("sv", "en"):
                    title = v[f"area_title_{language}"]
                    if title != area[f"title_{language}"] and (language == "sv" or title):
                        errors.append(
                            _("Area %(code)s is called “%(title)s” here but “%(other)s” on "
                              "row %(row)s. Write the same title on every row of the area.")
                            % {"code": area_code, "title": title,
                               "other": area[f"title_{language}"], "row": area["row"]})
                if v["area_title_en"] and not area["title_en"]:
                    area["title_en"] = v["area_title_en"]
    if plan.framework_code:
        try:
            services.clean_framework_code(plan.framework_code)
        except ValidationError as error:
            plan.errors.append(
                _("The framework code %(code)s cannot be used: %(reason)s")
                % {"code": plan.framework_code, "reason": " ".join(error.messages)})


def _compare_with_database(plan: ImportPlan) -> None:
    plan.framework = Framework.objects.filter(code=plan.framework_code).first()
    if plan.framework is None and not plan.framework_title_sv:
        plan.errors.append(_("There is no framework with the code %(code)s yet. To create it, "
                             "write its name in the column framework_title_sv.")
                           % {"code": plan.framework_code})
        return
    existing = {}
    if plan.framework is not None:
        existing = {c.code: c for c in plan.framework.competences.select_related("area")}
    for row in plan.rows:
        v = row.values
        current = existing.get(v["competence_code"])
        if current is None:
            row.status = "new"
        elif (current.area.code, current.title_sv, current.title_en) == (
                v["area_code"], v["competence_title_sv"], v["competence_title_en"]):
            row.status = "same"
        else:
            row.status = "changed"


@transaction.atomic
def apply_import(plan: ImportPlan) -> Framework:
    """Write a checked plan: all of it or, on any error, none of it."""
    if not plan.is_valid:
        raise ValidationError(_("The file has errors. Nothing was imported."), code="invalid")
    framework = Framework.objects.select_for_update().filter(code=plan.framework_code).first()
    if framework is None:
        framework = services.save_framework(
            None, code=plan.framework_code, title_sv=plan.framework_title_sv,
            title_en=plan.framework_title_en,
        )
    elif plan.framework_title_sv or plan.framework_title_en:
        framework.title_sv = plan.framework_title_sv or framework.title_sv
        framework.title_en = plan.framework_title_en or framework.title_en
        framework.save(update_fields=["title_sv", "title_en", "updated_at"])
    areas = {area.code: area for area in framework.areas.all()}
    for position, (code, values) in enumerate(plan.areas.items(), start=1):
        area = areas.get(code) or CompetenceArea(framework=framework, code=code)
        area.title_sv, area.title_en = values["title_sv"], values["title_en"]
        area.position = position
        area.save()
        areas[code] = area
    competences = {c.code: c for c in framework.competences.all()}
    for position, row in enumerate(plan.rows, start=1):
        v = row.values
        competence = competences.get(v["competence_code"]) or Competence(
            framework=framework, code=v["competence_code"])
        competence.area = areas[v["area_code"]]
        competence.title_sv = v["competence_title_sv"]
        competence.title_en = v["competence_title_en"]
        competence.position = position
        competence.save()
    return framework
