"""`modig import-roster FILE --municipality CODE [--dry-run] ...`"""

import pytest
from django.core.management import CommandError, call_command

from modig.organisation.models import Person, Unit
from modig.roster.models import RosterImport
from modig.roster.tests.helpers import csv_bytes, rows_ok


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes(rows_ok()))
    return path


def test_a_dry_run_prints_the_preview_and_changes_nothing(region, roster_file, capsys):
    call_command("import_roster", str(roster_file), "--municipality", "1440", "--dry-run")
    out = capsys.readouterr().out
    assert "Provkörning" in out and "1 nya, 1 uppdaterade" in out
    assert not Person.objects.filter(first_name="Åsa").exists()
    assert RosterImport.objects.count() == 0


def test_the_command_saves_a_clean_file(region, roster_file, capsys):
    call_command("import_roster", str(roster_file), "--municipality", "1440")
    assert "Sparat: 1 nya, 1 uppdaterade" in capsys.readouterr().out
    assert Person.objects.filter(first_name="Åsa").exists()


def test_errors_are_printed_in_swedish_and_exit_with_an_error(region, tmp_path, capsys):
    path = tmp_path / "fel.csv"
    rows = rows_ok()
    rows[1][5] = "19811218-9875"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="Filen har fel"):
        call_command("import_roster", str(path), "--municipality", "1440")
    assert "Rad 3, kolumn Personnummer: FEL: Personnumrets sista siffra" in \
        capsys.readouterr().out
    assert not Person.objects.filter(first_name="Åsa").exists()


def test_mapping_and_create_units_options(region, tmp_path, capsys):
    path = tmp_path / "egen.csv"
    path.write_bytes(csv_bytes([["Z1", "Zara", "Zon", "Nytt boende"]],
                               header=["Nummer", "Förnamn", "Efternamn", "Ställe"]))
    call_command("import_roster", str(path), "--municipality", "1440", "--create-units",
                 "--mapping", "Nummer=employee_id", "Ställe=unit")
    assert Unit.objects.filter(name="Nytt boende", municipality=region.ale).exists()
    assert Person.objects.filter(first_name="Zara").exists()


def test_the_command_exit_code_is_one_on_errors(region, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "fel.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="tom"):
        call_command("import_roster", str(path), "--municipality", "1440")
    assert sys.executable and subprocess


def test_the_documented_example_files_import_cleanly(region, capsys):
    from django.conf import settings

    examples = settings.BASE_DIR / "docs" / "examples"
    for name in ("roster-example.csv", "roster-example.xlsx"):
        call_command("import_roster", str(examples / name), "--municipality", "1440",
                     "--create-units", "--dry-run")
        out = capsys.readouterr().out
        assert "5 rader: 0 fel, 0 varningar" in out, out
    assert not Unit.objects.filter(name="Boendestöd Syd").exists()
