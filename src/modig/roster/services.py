"""The roster import workflow: upload → column mapping → check (preview) → commit.

Checks and commits of large files run as background tasks (roster/tasks.py); small files are
handled in the request. Either way the work is claimed with a conditional update, so a task
that runs twice never commits twice, and the commit is one transaction: all or nothing.
"""

import hashlib
import logging
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from modig.accounts.models import AccessLogEntry
from modig.organisation.models import Municipality, OperationArea, Unit
from modig.organisation.services import create_unit
from modig.organisation.signals import announce_staff_joined
from modig.roster import fields as f
from modig.roster.checks import Reference, RowChecker, check_duplicates
from modig.roster.matching import Matcher, apply_plan
from modig.roster.models import ColumnMapping, RosterImport
from modig.roster.problems import ERROR
from modig.roster.reader import RosterFileError, iter_rows, read_table

logger = logging.getLogger(__name__)
Status = RosterImport.Status
MAX_PROBLEMS = 2000  # stored and shown; every problem is counted in problem_summary
PROGRESS_EVERY = 2000


def inline_rows() -> int:
    """Files up to this many rows are checked and committed in the request."""
    return getattr(settings, "MODIG_ROSTER_INLINE_ROWS", 2000)


def _run_now(roster_import: RosterImport, inline: bool | None) -> bool:
    """In this process (the command, small files) or as a background task (large files)."""
    if inline is not None:
        return inline
    return roster_import.rows_total <= inline_rows()


def _already_imported(municipality: Municipality, sha256: str, *, exclude_pk=None):
    earlier = RosterImport.objects.without_content().filter(
        municipality=municipality, sha256=sha256, status=Status.COMMITTED
    )
    if exclude_pk:
        earlier = earlier.exclude(pk=exclude_pk)
    return earlier.order_by("committed_at").first()


def _already_imported_error(earlier: RosterImport) -> ValidationError:
    when = formats.date_format(timezone.localtime(earlier.committed_at), "j F Y H:i")
    return ValidationError(
        _("This file was already imported on %(date)s. Nothing was changed.") % {"date": when},
        code="already_imported",
    )


def start_import(municipality: Municipality, *, file_name: str, content: bytes,
                 user=None) -> RosterImport:
    """Read an uploaded file far enough to know it can be imported, and log it."""
    remembered = ColumnMapping.objects.filter(municipality=municipality).values_list(
        "mapping", flat=True).first() or {}
    try:
        table = read_table(file_name, content, is_known_header=lambda header: bool(
            remembered.get(f.normalise_header(header)) or f.guess_field(header)))
    except RosterFileError as error:
        raise ValidationError(error.message, code=error.code) from None
    sha256 = hashlib.sha256(content).hexdigest()
    earlier = _already_imported(municipality, sha256)
    if earlier is not None:
        raise _already_imported_error(earlier)
    return RosterImport.objects.create(
        municipality=municipality, created_by=user if user and user.pk else None,
        file_name=file_name[:255], sha256=sha256, file_format=table.file_format,
        encoding=table.encoding, delimiter=table.delimiter, content=content,
        headers=table.headers, mapping=f.guess_mapping(table.headers, remembered),
        rows_total=table.row_count,
    )


def validate_mapping(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping limited to the file's headers; every required field once, no field twice."""
    clean = {header: mapping.get(header, "") for header in headers if header}
    counts = Counter(key for key in clean.values() if key)
    unknown = [key for key in counts if key not in f.FIELDS_BY_KEY]
    if unknown:
        raise ValidationError(_("Choose a field from the list for every column."),
                              code="mapping_unknown")
    twice = [str(f.FIELDS_BY_KEY[key].label) for key, count in counts.items()
             if count > 1 and key not in f.MULTI_COLUMN_KEYS]
    if twice:
        raise ValidationError(
            _("These fields are chosen for more than one column: %(fields)s. Choose each once.")
            % {"fields": ", ".join(twice)}, code="mapping_twice")
    missing = [str(f.FIELDS_BY_KEY[key].label) for key in f.REQUIRED_KEYS if key not in counts]
    if missing:
        raise ValidationError(
            _("Choose a column for: %(fields)s. Modig needs them for every person.")
            % {"fields": ", ".join(missing)}, code="mapping_missing")
    return clean


def save_mapping(roster_import: RosterImport, *, mapping: dict[str, str],
                 inline: bool | None = None) -> RosterImport:
    """Store the mapping on the import, remember it for the municipality, and start the check."""
    if roster_import.status not in (Status.MAPPING, Status.CHECKED, Status.FAILED):
        raise ValidationError(_("This import can no longer be changed."), code="not_editable")
    clean = validate_mapping(roster_import.headers, mapping)
    with transaction.atomic():
        remembered, _created = ColumnMapping.objects.select_for_update().get_or_create(
            municipality=roster_import.municipality)
        remembered.mapping = {**remembered.mapping,
                              **{f.normalise_header(h): key for h, key in clean.items()}}
        remembered.save(update_fields=["mapping", "updated_at"])
        roster_import.mapping = clean
        roster_import.save(update_fields=["mapping"])
    return queue_check(roster_import, inline=inline)


def queue_check(roster_import: RosterImport, *, inline: bool | None = None) -> RosterImport:
    """Check now when the file is small, else hand the check to a background task."""
    from modig.roster.tasks import check_import

    roster_import.status = Status.CHECK_QUEUED
    roster_import.rows_done = 0
    roster_import.failure = ""
    roster_import.save(update_fields=["status", "rows_done", "failure"])
    if _run_now(roster_import, inline):
        run_check(roster_import.pk)
    else:
        check_import.enqueue(roster_import.pk)
    roster_import.refresh_from_db()
    return roster_import


def confirm_units(roster_import: RosterImport, *, labels: list[str],
                  inline: bool | None = None) -> RosterImport:
    """Agree to create these new units (and the new units above them), then check again."""
    if roster_import.status != Status.CHECKED:
        raise ValidationError(_("This import can no longer be changed."), code="not_editable")
    offered = set(roster_import.new_units)
    chosen = set()
    for label in labels:
        if label not in offered:
            continue
        parts = f.PATH_SEPARATOR.split(label)
        chosen.update(" > ".join(parts[:end]) for end in range(1, len(parts) + 1))
    roster_import.confirmed_units = [label for label in roster_import.new_units
                                     if label in chosen]
    roster_import.save(update_fields=["confirmed_units"])
    return queue_check(roster_import, inline=inline)


def _progress(import_id: int, done: int) -> None:
    RosterImport.objects.filter(pk=import_id).update(rows_done=done)


def _check_rows(roster_import: RosterImport, reference: Reference, *, progress: bool):
    """Check every row of the stored file; return the checker and the checked rows."""
    checker = RowChecker(reference, roster_import.headers, roster_import.mapping,
                         roster_import.confirmed_units)
    rows_iter = iter_rows(roster_import.content, roster_import.file_format,
                          roster_import.delimiter or ";")
    next(rows_iter, None)  # the header row
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        rows.append(checker.check(number, cells))
        if progress and len(rows) % PROGRESS_EVERY == 0:
            _progress(roster_import.pk, len(rows))
    headers = {key: columns[0][1] for key, columns in checker.columns.items()}
    checker.problems.extend(check_duplicates(rows, headers.get("employee_id", ""),
                                             headers.get("identity_number", "")))
    return checker, rows


def _summarise(problems: list[dict]) -> dict:
    problems.sort(key=lambda p: (p["severity"] != ERROR, p["row"]))
    summary = Counter(p["code"] for p in problems)
    return {
        "problems": problems[:MAX_PROBLEMS],
        "problem_summary": dict(summary),
        "errors_count": sum(1 for p in problems if p["severity"] == ERROR),
        "warnings_count": sum(1 for p in problems if p["severity"] != ERROR),
    }


def analyse(roster_import: RosterImport, *, progress: bool = False) -> dict:
    """Everything a preview shows: problems, new units, and what a commit would change."""
    reference = Reference.load(roster_import.municipality)
    checker, rows = _check_rows(roster_import, reference, progress=progress)
    matcher = Matcher(roster_import.municipality, rows, checker.mapped)
    plan = matcher.plan(rows)
    result = _summarise(checker.problems + plan.problems)
    result.update(
        new_units=checker.new_unit_labels(), rows_total=len(rows), rows_done=len(rows),
        created_count=plan.created, updated_count=plan.updated,
        unchanged_count=plan.unchanged, missing_count=len(plan.missing_employment_ids),
        units_created_count=len([label for label in roster_import.confirmed_units
                                 if label in checker.new_unit_labels()]),
    )
    return result


def _fail(import_id: int, message: str) -> None:
    RosterImport.objects.filter(pk=import_id).update(status=Status.FAILED, failure=message)


def run_check(import_id: int) -> None:
    """Check a queued import and store its preview; a second run of the same check is a no-op."""
    if not RosterImport.objects.filter(pk=import_id, status=Status.CHECK_QUEUED).update(
        status=Status.CHECKING, rows_done=0
    ):
        return
    roster_import = RosterImport.objects.select_related("municipality").get(pk=import_id)
    try:
        result = analyse(roster_import, progress=True)
    except Exception:
        logger.exception("roster check failed", extra={"roster_import": import_id})
        _fail(import_id, _("The file could not be checked. Upload it again or contact "
                           "the programme office."))
        return
    RosterImport.objects.filter(pk=import_id, status=Status.CHECKING).update(
        status=Status.CHECKED, checked_at=timezone.now(), **result)


def request_commit(roster_import: RosterImport, *, full: bool = False,
                   confirmed_deactivations: int | None = None,
                   inline: bool | None = None) -> RosterImport:
    """Queue the commit of a checked import without errors (now, when the file is small)."""
    from modig.roster.tasks import commit_import

    if not roster_import.can_commit:
        raise ValidationError(_("Correct the errors in the file before saving it."),
                              code="has_errors")
    if full and confirmed_deactivations != roster_import.missing_count:
        raise ValidationError(
            _("Confirm that %(count)s employments missing from the file will be marked "
              "inactive.") % {"count": roster_import.missing_count}, code="confirm_full")
    earlier = _already_imported(roster_import.municipality, roster_import.sha256)
    if earlier is not None:
        raise _already_imported_error(earlier)
    claimed = RosterImport.objects.filter(pk=roster_import.pk, status=Status.CHECKED).update(
        status=Status.COMMIT_QUEUED, is_full=full,
        confirmed_deactivations=confirmed_deactivations if full else None,
    )
    if not claimed:
        raise ValidationError(_("This import is already being saved."), code="busy")
    if _run_now(roster_import, inline):
        run_commit(roster_import.pk)
    else:
        commit_import.enqueue(roster_import.pk)
    roster_import.refresh_from_db()
    return roster_import


def _create_units(roster_import: RosterImport, reference: Reference) -> tuple[dict, int]:
    """Create the confirmed new units, parents first; return {folded path: unit id}, count."""
    by_path = dict(reference.units_by_path)
    areas = {area.code: area for area in OperationArea.objects.all()}
    created = 0
    for label in roster_import.confirmed_units:
        parts = tuple(f.PATH_SEPARATOR.split(label))
        folded = tuple(map(f.fold, parts))
        if folded in by_path:
            continue
        parent_id = by_path.get(folded[:-1]) if len(folded) > 1 else None
        parent = Unit.objects.get(pk=parent_id) if parent_id else None
        kind = Unit.Kind.UNIT if label not in _parent_labels(roster_import) else (
            Unit.Kind.ADMINISTRATION if len(parts) == 1 else Unit.Kind.AREA)
        area_code = _area_hint(parts[0])
        unit = create_unit(roster_import.municipality, name=parts[-1], parent=parent, kind=kind,
                           operation_area=areas.get(area_code))
        by_path[folded] = unit.pk
        created += 1
    return by_path, created


def _parent_labels(roster_import: RosterImport) -> set[str]:
    labels = set()
    for label in roster_import.new_units:
        parts = f.PATH_SEPARATOR.split(label)
        labels.update(" > ".join(parts[:end]) for end in range(1, len(parts)))
    return labels


def _area_hint(top_name: str) -> str:
    folded = f.fold(top_name)
    if "aldre" in folded:
        return "elderly_care"
    if "funktion" in folded or "lss" in folded:
        return "disability_support"
    return ""


def run_commit(import_id: int) -> None:
    """Commit a queued import in one transaction; a second run of the same commit is a no-op."""
    if not RosterImport.objects.filter(pk=import_id, status=Status.COMMIT_QUEUED).update(
        status=Status.COMMITTING, rows_done=0
    ):
        return
    roster_import = RosterImport.objects.select_related("municipality", "created_by").get(
        pk=import_id)
    try:
        _commit(roster_import)
    except ValidationError as error:
        _fail(import_id, " ".join(error.messages))
    except Exception:
        logger.exception("roster commit failed", extra={"roster_import": import_id})
        _fail(import_id, _("Saving failed and nothing was changed. Try again, or contact the "
                           "programme office."))


def _invite_newcomers() -> None:
    from modig.surveys.invitations import invite_into_open_recurring_rounds_later

    invite_into_open_recurring_rounds_later()


def _commit(roster_import: RosterImport) -> None:
    municipality = roster_import.municipality
    reference = Reference.load(municipality)
    checker, rows = _check_rows(roster_import, reference, progress=True)
    with transaction.atomic():
        earlier = _already_imported(municipality, roster_import.sha256,
                                    exclude_pk=roster_import.pk)
        if earlier is not None:
            raise _already_imported_error(earlier)
        unit_ids, units_created = _create_units(roster_import, reference)
        plan = Matcher(municipality, rows, checker.mapped).plan(rows)
        problems = checker.problems + plan.problems
        if any(p["severity"] == ERROR for p in problems):
            raise ValidationError(_("The file has errors that were not there when it was "
                                    "checked. Check it again."), code="new_errors")
        if roster_import.is_full and roster_import.confirmed_deactivations != len(
                plan.missing_employment_ids):
            raise ValidationError(_("The number of employments to mark inactive has changed "
                                    "since the check. Check the file again."),
                                  code="missing_changed")
        deactivated = apply_plan(plan, unit_ids_by_path=unit_ids,
                                 default_target_ids=reference.target_groups,
                                 deactivate=roster_import.is_full)
        # New and moved staff join any open recurring survey round (surveys/invitations.py).
        transaction.on_commit(_invite_newcomers, robust=True)
        announce_staff_joined(employment.pk for employment, _target in plan.unit_links)
        user = roster_import.created_by
        AccessLogEntry.objects.create(
            user=user, user_email=user.email if user else "",
            action=AccessLogEntry.Action.IMPORT,
            detail=(f"{municipality.code} {roster_import.file_name}: {plan.created} new, "
                    f"{plan.updated} updated, {deactivated} inactive")[:300],
        )
        RosterImport.objects.filter(pk=roster_import.pk).update(
            status=Status.COMMITTED, committed_at=timezone.now(), content=b"",
            rows_done=len(rows), created_count=plan.created, updated_count=plan.updated,
            unchanged_count=plan.unchanged, deactivated_count=deactivated,
            units_created_count=units_created,
        )
