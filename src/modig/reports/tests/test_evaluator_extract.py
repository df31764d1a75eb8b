"""The evaluator's extract: a ZIP of de-identified semicolon CSV files with a README, the
final report's figures with small groups suppressed, logged as an export."""

import csv
import io
import zipfile

from django.urls import reverse

from modig.accounts.models import AccessLogEntry
from modig.organisation.models import Person, StaffCategory
from modig.reports import evaluator
from modig.reports.tests.conftest import follow_up_round
from modig.reports.tests.test_final_sections import staff
from modig.surveys.models import Item


def read_zip(content: bytes) -> dict[str, list[list[str]]]:
    files = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith("\ufeff".encode()), name  # UTF-8 with BOM
            text = raw.decode("utf-8-sig")
            files[name] = (text if name.endswith(".txt")
                           else list(csv.reader(io.StringIO(text), delimiter=";")))
    return files


def extract(region, programme_admin, login):
    client = login(programme_admin)
    response = client.get(reverse("reports:evaluator-extract", args=[region.programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return read_zip(response.content)


def test_tables_with_known_figures_and_suppression(region, programme_admin, login):
    staff(region, region.ale, region.vikadamm, 6, prefix="A", minutes=90)
    tjorn = staff(region, region.tjorn, region.solgarden, 2, prefix="T")
    Person.objects.filter(pk__in=[p.pk for p in tjorn]).update(gender=Person.Gender.MALE)
    files = extract(region, programme_admin, login)
    assert sorted(files) == sorted(["LASMIG.txt", *[spec.name for spec in evaluator.FILES]])
    assert files["utbildade_per_kommun.csv"] == [
        ["Kommunkod", "Kommun", "Personer", "Timmar", "Dold"],
        # Tjörn has 2 (< 5); Ale is hidden too so that 8 - 6 does not give Tjörn's 2.
        ["1440", "Ale", "", "", "skydd"],
        ["1419", "Tjörn", "", "", "för få"],
        ["", "Hela programmet", "8", "11,0", ""],
    ]
    assert files["utbildade_per_kon.csv"][1:] == [
        ["Kvinna", "", "", "skydd"], ["Man", "", "", "för få"],
        ["Hela programmet", "8", "11,0", ""]]
    assert files["utbildade_per_aldersgrupp.csv"][1:] == [
        ["40–49", "8", "11,0", ""], ["Hela programmet", "8", "11,0", ""]]
    assert files["utbildade_per_kursformat.csv"][1:] == [
        ["Distans i egen takt", "8", "11,0", ""], ["Hela programmet", "8", "11,0", ""]]
    assert files["utbildade_per_manad.csv"][1:] == [
        ["2026-03", "2026-03", "8", "11,0", "8", "11,0"]]
    # No managers: the figure is hidden (below the minimum) rather than 0 of 0.
    assert files["forandrade_rutiner.csv"][1:] == [["", "", "", "", "", "för få"]]
    assert files["ombud.csv"][-1][:2] == ["", "Hela programmet"]
    assert files["handlingsplaner.csv"][1:] == [
        ["1440", "Ale", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["1419", "Tjörn", "0", "0", "0", "0", "0", "0", "0", "0"]]


def test_no_identifying_column_or_value_and_the_readme_defines_every_column(
        region, programme_admin, login):
    people = staff(region, region.ale, region.vikadamm, 6, prefix="A")
    files = extract(region, programme_admin, login)
    readme = files.pop("LASMIG.txt")
    assert "docs/evaluator-extract.md" in readme
    # Data rows only: a header word ("Klara") can be somebody's first name.
    everything = "\n".join(";".join(row) for rows in files.values() for row in rows[1:])
    for person in [*people, region.anna]:
        assert person.last_name not in everything
        assert person.first_name not in everything
    for spec in evaluator.FILES:
        header = files[spec.name][0]
        assert header == [column for column, _about in spec.columns]
        for column in header:
            assert f"- {column}:" in readme
            lowered = column.lower()
            assert not any(word in lowered for word in
                           ("namn", "personnummer", "person-id", "pseudonym", "e-post"))


def test_each_download_is_logged(region, programme_admin, login):
    extract(region, programme_admin, login)
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT)
    assert entry.user == programme_admin
    assert entry.detail == f"evaluator extract: programme {region.programme.pk}, files 14"


def test_self_reported_figures_are_a_file_of_their_own(region, programme_admin, login):
    region.programme.min_group_size = 3
    region.programme.save()
    # Ale base staff: yes 3 of 5, one "don't know" left out; Tjörn's single answer is too few
    # for a line of its own, so the base-staff line is hidden with it.
    follow_up_round(region, (Item.OutcomeField.KNOWLEDGE_GAIN,), [
        *[(region.ale, region.vikadamm, StaffCategory.BASE, {"knowledge_gain": v})
          for v in (3, 3, 2, 1, 1, 0)],
        (region.tjorn, region.solgarden, StaffCategory.MANAGEMENT, {"knowledge_gain": 3})])
    rows = extract(region, programme_admin, login)["sjalvskattad_forbattring.csv"]
    assert rows[0] == ["Mått", "Ja", "Svarat ja eller nej", "Andel procent",
                       "KI nedre procent", "KI övre procent", "Dold"]
    assert rows[1][:4] == ["All personal: deras digitala kunskaper blev bättre", "4", "6",
                           "66,7"]
    assert rows[2] == ["Baspersonal: deras digitala kunskaper blev bättre", "", "", "", "",
                       "", "skydd"]
