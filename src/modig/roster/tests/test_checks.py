"""The preview lists every problem by row and column, in Swedish, and saves nothing."""

import pytest
from django.utils import translation

from modig.organisation.models import Employment, Person, Unit
from modig.roster import services
from modig.roster.models import ColumnMapping
from modig.roster.problems import describe
from modig.roster.tests.helpers import PNR_1, csv_bytes

HEADER = ["Anst.nr", "Förnamn", "Efternamn", "E-post", "Mobil", "Personnummer", "Födelseår",
          "Kön", "Befattning", "SSYK", "Enhet", "Startdatum", "Slutdatum"]


def row(**values) -> list[str]:
    base = {"Anst.nr": "N1", "Förnamn": "Nils", "Efternamn": "Nord", "E-post": "",
            "Mobil": "", "Personnummer": "", "Födelseår": "", "Kön": "", "Befattning":
            "Undersköterska", "SSYK": "", "Enhet": "Vikadamm boende", "Startdatum": "",
            "Slutdatum": ""}
    base.update(values)
    return [base[column] for column in HEADER]


def preview(region, rows):
    roster_import = services.start_import(region.ale, file_name="lista.csv",
                                          content=csv_bytes(rows, header=HEADER))
    return services.save_mapping(roster_import, mapping=roster_import.mapping)


def problems_of(roster_import) -> set[tuple[int, str, str]]:
    return {(p["row"], p["column"], p["code"]) for p in roster_import.problems}


@pytest.mark.parametrize(("values", "column", "code"), [
    ({"Förnamn": ""}, "Förnamn", "required"),
    ({"Anst.nr": ""}, "Anst.nr", "required"),
    ({"Enhet": "Vikadam boende"}, "Enhet", "unknown_unit"),
    ({"Befattning": "Undersköterskaa"}, "Befattning", "unknown_occupation"),
    ({"SSYK": "9999"}, "SSYK", "unknown_ssyk"),
    ({"Startdatum": "31/12/2024"}, "Startdatum", "bad_date"),
    ({"Startdatum": "2024-02-30"}, "Startdatum", "bad_date"),
    ({"Startdatum": "2024-05-01", "Slutdatum": "2024-01-01"}, "Slutdatum", "date_order"),
    ({"E-post": "nils@"}, "E-post", "bad_email"),
    ({"Mobil": "031-123 45 67"}, "Mobil", "bad_mobile"),
    ({"Personnummer": "1981-12-18"}, "Personnummer", "identity_format"),
    ({"Personnummer": "19811318-9876"}, "Personnummer", "identity_date"),
    ({"Personnummer": "19811218-9875"}, "Personnummer", "identity_checksum"),
    ({"Födelseår": "1850"}, "Födelseår", "birth_year"),
    ({"Födelseår": "2030"}, "Födelseår", "birth_year"),
    ({"Kön": "Q"}, "Kön", "bad_gender"),
    ({"Efternamn": "=HYPERLINK(\"http://x\")"}, "Efternamn", "formula"),
    ({"Befattning": "@SUM(A1)"}, "Befattning", "formula"),
    ({"Förnamn": "-Nils"}, "Förnamn", "formula"),
    ({"E-post": "+nils@x.se"}, "E-post", "formula"),
])
def test_each_problem_is_reported_with_its_row_and_column(region, values, column, code):
    roster_import = preview(region, [row(**{"Anst.nr": "N0"}), row(**values)])
    assert (3, column, code) in problems_of(roster_import)
    assert roster_import.errors_count >= 1
    assert not roster_import.can_commit
    assert not Person.objects.filter(first_name="Nils").exists()


def test_problems_are_worded_in_swedish_with_the_closest_match(region):
    roster_import = preview(region, [row(Enhet="Vikadam boende", Befattning="Undersköterskaa")])
    with translation.override("sv"):
        messages = {p["code"]: describe(p) for p in roster_import.problems}
    assert "Vikadamm boende" in messages["unknown_unit"]
    assert "Menade du" in messages["unknown_unit"]
    assert "undersköterska" in messages["unknown_occupation"].lower()


def test_duplicate_employee_ids_are_reported_on_the_later_row(region):
    roster_import = preview(region, [row(), row(Förnamn="Nina")])
    assert (3, "Anst.nr", "duplicate_employee_id") in problems_of(roster_import)
    assert roster_import.problems[0]["params"]["other_row"] == "2"


def test_stray_spaces_are_trimmed_with_a_warning_and_the_row_can_be_saved(region):
    roster_import = preview(region, [row(Förnamn="  Nils ", Efternamn="Nord  Berg")])
    assert (2, "Förnamn", "stray_spaces") in problems_of(roster_import)
    assert roster_import.errors_count == 0
    services.request_commit(roster_import)
    assert Person.objects.filter(first_name="Nils", last_name="Nord Berg").exists()


def test_a_phone_number_starting_with_plus_is_no_formula(region):
    roster_import = preview(region, [row(Mobil="+46 70-111 22 33")])
    assert roster_import.errors_count == 0
    services.request_commit(roster_import)
    assert Person.objects.get(first_name="Nils").mobile == "+46701112233"


@pytest.mark.parametrize(("title", "unit_area", "code"), [
    ("Undersköterska", "elderly_care", "5321"),
    ("Undersköterska natt", "disability_support", "5322"),
    ("Vårdbiträde", "elderly_care", "5330"),
    ("Personlig assistent", "disability_support", "5343"),
    ("Boendestödjare", "disability_support", "5342"),
    ("Stödpedagog", "disability_support", "3411"),
    ("Sjuksköterska", "elderly_care", "2221"),
    ("Biståndshandläggare", "elderly_care", "2663"),
    ("Enhetschef", "elderly_care", "1532"),
    ("Enhetschef", "disability_support", "1522"),
    ("Områdeschef", "elderly_care", "1531"),
])
def test_job_titles_map_to_ssyk_codes_by_operation_area(region, title, unit_area, code):
    from modig.organisation.models import OperationArea
    Unit.objects.filter(pk=region.vikadamm.pk).update(
        operation_area=OperationArea.objects.get(code=unit_area))
    roster_import = preview(region, [row(Befattning=title)])
    services.request_commit(roster_import)
    employment = Employment.objects.get(employee_id="N1")
    assert employment.occupation.ssyk_code == code
    expected = "management" if code.startswith("15") else "base"
    assert employment.staff_category == expected


def test_an_ssyk_column_wins_over_the_job_title(region):
    services.request_commit(preview(region, [row(Befattning="Undersköterska", SSYK="5330")]))
    assert Employment.objects.get(employee_id="N1").occupation.ssyk_code == "5330"


def test_the_column_mapping_is_remembered_for_the_municipality(region):
    header = ["Nr", "Namn 1", "Namn 2", "Arbetsställe", "Egen kolumn"]
    content = csv_bytes([["N1", "Nils", "Nord", "Vikadamm boende", "x"]], header=header)
    first = services.start_import(region.ale, file_name="a.csv", content=content)
    assert first.mapping == {h: "" for h in header}
    mapping = {"Nr": "employee_id", "Namn 1": "first_name", "Namn 2": "last_name",
               "Arbetsställe": "unit", "Egen kolumn": ""}
    services.save_mapping(first, mapping=mapping)
    assert ColumnMapping.objects.get(municipality=region.ale).mapping["nr"] == "employee_id"
    second = services.start_import(region.ale, file_name="b.csv",
                                   content=content + b"N2;Nora;Nord;Vikadamm boende;y\r\n")
    assert second.mapping == mapping
    other = services.start_import(region.tjorn, file_name="b.csv", content=content)
    assert other.mapping["Nr"] == ""


def test_a_mapping_without_a_required_field_is_refused(region):
    from django.core.exceptions import ValidationError
    roster_import = services.start_import(region.ale, file_name="lista.csv",
                                          content=csv_bytes([row()], header=HEADER))
    mapping = {**roster_import.mapping, "Enhet": ""}
    with pytest.raises(ValidationError) as error:
        services.save_mapping(roster_import, mapping=mapping)
    assert error.value.code == "mapping_missing"


def test_identity_numbers_are_normalised_and_fill_the_birth_year(region):
    services.request_commit(preview(region, [row(Personnummer="811218-9876")]))
    person = Person.objects.get(first_name="Nils")
    assert (person.identity_number, person.birth_year) == ("198112189876", 1981)
    assert PNR_1.replace("-", "") == person.identity_number
