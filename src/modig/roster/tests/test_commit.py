"""Commit: all or nothing, idempotent, updates in place, full import and new units only
after confirmation, one person across municipalities, background tasks."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from modig.accounts.models import AccessLogEntry
from modig.organisation.models import Employment, Person, Unit
from modig.roster import matching, services
from modig.roster.models import RosterImport
from modig.roster.tests.helpers import PNR_1, csv_bytes, rows_ok

Status = RosterImport.Status


def checked(municipality, content, *, name="lista.csv"):
    roster_import = services.start_import(municipality, file_name=name, content=content)
    return services.save_mapping(roster_import, mapping=roster_import.mapping)


def test_nothing_is_saved_while_the_file_has_errors(region):
    rows = [*rows_ok(), ["A10", "", "Lind", "", "", "", "", "Vårdbiträde", "Vikadamm boende",
                         ""]]
    roster_import = checked(region.ale, csv_bytes(rows))
    assert roster_import.errors_count == 1
    with pytest.raises(ValidationError) as error:
        services.request_commit(roster_import)
    assert error.value.code == "has_errors"
    assert not Person.objects.filter(first_name="Åsa").exists()


def test_a_failure_in_the_middle_of_the_commit_leaves_nothing_behind(region, monkeypatch):
    original = matching._insert_links

    def explode(*args, **kwargs):
        original(*args, **kwargs)  # people and employments are written by now
        raise RuntimeError("disk full")

    monkeypatch.setattr(matching, "_insert_links", explode)
    roster_import = services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    assert roster_import.status == Status.FAILED
    assert "inget" in roster_import.failure.lower() or "nothing" in roster_import.failure.lower()
    assert not Person.objects.filter(first_name="Åsa").exists()
    assert not Employment.objects.filter(employee_id="A9").exists()
    assert Person.objects.get(pk=region.anna.pk).mobile == ""
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.IMPORT).exists()


def test_importing_the_same_people_again_changes_nothing(region):
    services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    again = checked(region.ale, csv_bytes(rows_ok(), delimiter=",", encoding="cp1252"),
                    name="igen.csv")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    again = services.request_commit(again)
    assert again.status == Status.COMMITTED
    assert (again.created_count, again.updated_count) == (0, 0)


def test_an_updated_file_updates_people_in_place(region):
    services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    asa = Person.objects.get(identity_number="198112189876")
    rows = rows_ok()
    rows[1][2] = "Öberg Lind"
    rows[1][7] = "Undersköterska"
    roster_import = services.request_commit(checked(region.ale, csv_bytes(rows), name="v2.csv"))
    assert (roster_import.created_count, roster_import.updated_count) == (0, 1)
    asa.refresh_from_db()
    assert asa.last_name == "Öberg Lind"
    assert Employment.objects.get(employee_id="A9").occupation.ssyk_code == "5321"
    assert Person.objects.filter(first_name="Åsa").count() == 1


def test_a_full_import_marks_missing_employments_inactive_only_when_confirmed(region):
    roster_import = checked(region.ale, csv_bytes(rows_ok()))
    assert roster_import.missing_count == 2  # Bertil (A2) and Dana (A3)
    with pytest.raises(ValidationError) as error:
        services.request_commit(roster_import, full=True, confirmed_deactivations=None)
    assert error.value.code == "confirm_full"
    with pytest.raises(ValidationError):
        services.request_commit(roster_import, full=True, confirmed_deactivations=1)
    assert Employment.objects.filter(municipality=region.ale, is_active=True).count() == 3
    roster_import = services.request_commit(roster_import, full=True, confirmed_deactivations=2)
    assert roster_import.deactivated_count == 2
    inactive = Employment.objects.filter(is_active=False)
    assert set(inactive.values_list("employee_id", flat=True)) == {"A2", "A3"}
    assert Employment.objects.get(employee_id="T2").is_active  # Dana in Tjörn stays


def test_an_import_that_is_not_full_leaves_missing_employments_alone(region):
    services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    assert Employment.objects.filter(is_active=False).count() == 0


def new_unit_rows():
    header = ["Anst.nr", "Förnamn", "Efternamn", "Befattning", "Förvaltning", "Område", "Enhet"]
    rows = [["B1", "Berit", "Ek", "Personlig assistent", "Funktionsstöd", "Område Syd",
             "Gruppbostad Ek"],
            ["B2", "Bo", "Al", "Undersköterska", "Äldreomsorg", "Område Nödinge",
             "Vikadamm boende"]]
    return csv_bytes(rows, header=header)


def test_new_units_are_created_only_after_confirmation(region):
    roster_import = checked(region.ale, new_unit_rows())
    assert roster_import.new_units == [
        "Funktionsstöd", "Funktionsstöd > Område Syd",
        "Funktionsstöd > Område Syd > Gruppbostad Ek"]
    assert roster_import.problem_summary == {"unknown_unit": 1}
    assert not roster_import.can_commit
    roster_import = services.confirm_units(
        roster_import, labels=["Funktionsstöd > Område Syd > Gruppbostad Ek"])
    assert roster_import.errors_count == 0
    assert not Unit.objects.filter(name="Gruppbostad Ek").exists()
    roster_import = services.request_commit(roster_import)
    assert roster_import.units_created_count == 3
    unit = Unit.objects.get(name="Gruppbostad Ek")
    assert unit.parent.name == "Område Syd" and unit.parent.parent.name == "Funktionsstöd"
    assert unit.path == f"{unit.parent.parent.path}{unit.parent.pk}/{unit.pk}/"
    assert unit.operation_area.code == "disability_support"
    employment = Employment.objects.get(employee_id="B1")
    assert list(employment.units.all()) == [unit]
    assert employment.occupation.ssyk_code == "5343"
    assert list(Employment.objects.get(employee_id="B2").units.all()) == [region.vikadamm]


def test_one_person_in_two_municipalities_is_matched_by_identity_number(region):
    services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    tjorn_rows = [["T9", "Åsa", "Öberg", "", "", PNR_1, "K", "Undersköterska", "Solgården",
                   "2022-01-01"]]
    services.request_commit(checked(region.tjorn, csv_bytes(tjorn_rows)))
    assert Person.objects.filter(identity_number="198112189876").count() == 1
    person = Person.objects.get(identity_number="198112189876")
    assert set(person.employments.values_list("municipality__code", "employee_id")) == {
        ("1440", "A9"), (region.tjorn.code, "T9")}


def test_the_same_upload_twice_is_refused_at_commit_too(region):
    content = csv_bytes(rows_ok())
    first = checked(region.ale, content)
    second = checked(region.ale, content, name="kopia.csv")
    services.request_commit(first)
    with pytest.raises(ValidationError) as error:
        services.request_commit(second)
    assert error.value.code == "already_imported"


def test_a_commit_is_logged_in_the_access_log_and_the_file_is_dropped(region):
    roster_import = services.request_commit(checked(region.ale, csv_bytes(rows_ok())))
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.IMPORT)
    assert "lista.csv" in entry.detail
    roster_import = RosterImport.objects.get(pk=roster_import.pk)
    assert bytes(roster_import.content) == b""
    assert len(roster_import.sha256) == 64


@override_settings(
    MODIG_ROSTER_INLINE_ROWS=1,
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
)
def test_large_files_are_checked_and_saved_by_background_tasks(region):
    roster_import = checked(region.ale, csv_bytes(rows_ok()))
    assert roster_import.status == Status.CHECKED
    assert roster_import.rows_done == 2
    roster_import = services.request_commit(roster_import)
    assert roster_import.status == Status.COMMITTED
    assert Person.objects.filter(first_name="Åsa").count() == 1


@override_settings(
    MODIG_ROSTER_INLINE_ROWS=1,
    TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
)
def test_a_task_that_runs_twice_commits_once(region):
    roster_import = checked(region.ale, csv_bytes(rows_ok()))
    assert roster_import.status == Status.CHECK_QUEUED
    services.run_check(roster_import.pk)
    services.run_check(roster_import.pk)
    roster_import.refresh_from_db()
    assert roster_import.status == Status.CHECKED
    roster_import = services.request_commit(roster_import)
    assert roster_import.status == Status.COMMIT_QUEUED
    services.run_commit(roster_import.pk)
    services.run_commit(roster_import.pk)
    roster_import.refresh_from_db()
    assert roster_import.status == Status.COMMITTED
    assert Person.objects.filter(first_name="Åsa").count() == 1
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.IMPORT).count() == 1
