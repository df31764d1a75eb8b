"""CSV import and export of competence frameworks: round trip, preview, all-or-nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from modig.competence import csvio
from modig.competence.models import Competence, CompetenceArea, Framework

pytestmark = pytest.mark.django_db

HEADER = ("framework_code;framework_title_sv;framework_title_en;area_code;area_title_sv;"
          "area_title_en;competence_code;competence_title_sv;competence_title_en")


def snapshot(framework: Framework):
    areas = list(framework.areas.order_by("position").values_list("code", "title_sv",
                                                                  "title_en"))
    competences = list(framework.competences.order_by("position").values_list(
        "code", "area__code", "title_sv", "title_en"))
    return framework.title_sv, framework.title_en, areas, competences


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def test_export_of_digcomp_has_one_row_per_competence_with_bom_and_semicolons():
    text = csvio.export_csv(Framework.objects.get(code="digcomp-2-2"))
    assert text.startswith("\ufeff" + HEADER)
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 22
    assert lines[1].startswith("digcomp-2-2;DigComp 2.2")
    assert ";1;Informations- och datakunskap;Information and data literacy;1.1;" in lines[1]


def test_digcomp_round_trip_into_a_new_framework_gives_the_same_content():
    digcomp = Framework.objects.get(code="digcomp-2-2")
    text = csvio.export_csv(digcomp).replace("digcomp-2-2;", "digcomp-kopia;")
    plan = csvio.read_import(text.encode("utf-8"))
    assert plan.is_valid, (plan.errors, [r.errors for r in plan.row_errors])
    assert plan.framework is None and plan.count_new == 21
    copy = csvio.apply_import(plan)
    assert copy.code == "digcomp-kopia" and not copy.is_default
    assert snapshot(copy) == snapshot(digcomp)
    # …and exporting the copy gives the same file again.
    assert csvio.export_csv(copy) == text


def test_reimporting_digcomp_changes_nothing():
    digcomp = Framework.objects.get(code="digcomp-2-2")
    before = snapshot(digcomp)
    plan = csvio.read_import(csvio.export_csv(digcomp).encode("utf-8"))
    assert plan.is_valid and plan.count_same == 21 and plan.count_new == 0
    csvio.apply_import(plan)
    assert snapshot(Framework.objects.get(code="digcomp-2-2")) == before


def test_excel_file_in_windows_1252_with_commas_is_read():
    content = ("framework_code,framework_title_sv,area_code,area_title_sv,competence_code,"
               "competence_title_sv\r\n"
               "vard,Vårdens ramverk,A,Åtgärder,A1,Läsa schemat i appen\r\n").encode("cp1252")
    plan = csvio.read_import(content)
    assert plan.is_valid
    framework = csvio.apply_import(plan)
    competence = framework.competences.get()
    assert (framework.title_sv, competence.area.title_sv, competence.title_sv) == (
        "Vårdens ramverk", "Åtgärder", "Läsa schemat i appen")


def test_import_updates_titles_and_adds_competences_but_removes_none():
    digcomp = Framework.objects.get(code="digcomp-2-2")
    plan = csvio.read_import(csv_file(
        "digcomp-2-2;;;1;Information och data;Information and data literacy;1.1;"
        "Söka information;Browsing",
        "digcomp-2-2;;;1;Information och data;;1.9;Ny kompetens;New competence",
    ))
    assert plan.is_valid, [r.errors for r in plan.rows]
    assert (plan.count_changed, plan.count_new) == (1, 1)
    csvio.apply_import(plan)
    assert digcomp.competences.count() == 22
    assert digcomp.competences.get(code="1.1").title_sv == "Söka information"
    assert digcomp.areas.get(code="1").title_sv == "Information och data"
    assert digcomp.competences.get(code="5.4").title_en == "Identifying digital competence gaps"


def row_errors(plan):
    return {row.number: row.errors for row in plan.row_errors}


def test_bad_rows_get_swedish_messages_per_row_and_nothing_changes():
    before = (Framework.objects.count(), CompetenceArea.objects.count(),
              Competence.objects.count())
    content = csv_file(
        "ny;Nytt ramverk;;A;Område A;;A1;Första;First",
        "ny;Nytt ramverk;;A;Område B;;A2;Andra;Second",      # area title mismatch
        "ny;Nytt ramverk;;A;Område A;;A1;Tredje;Third",      # duplicate code
        "ny;Nytt ramverk;;B;Område B;;;Fjärde;Fourth",       # missing code
        "annat;Nytt ramverk;;B;Område B;;B2;Femte;Fifth",    # second framework
    )
    with translation.override("sv"):
        plan = csvio.read_import(content)
        errors = row_errors(plan)
        assert not plan.is_valid
        assert set(errors) == {3, 4, 5, 6}
        assert errors[3] == ["Område A heter ”Område B” här men ”Område A” på rad 2. Skriv "
                             "samma namn på alla rader i området."]
        assert errors[4] == ["Kompetenskoden A1 finns redan på rad 2."]
        assert errors[5] == ["competence_code är tom."]
        assert "Filen kan bara innehålla ett ramverk." in errors[6][0]
        with pytest.raises(ValidationError) as error:
            csvio.apply_import(plan)
        assert error.value.messages == ["Filen har fel. Inget importerades."]
    assert (Framework.objects.count(), CompetenceArea.objects.count(),
            Competence.objects.count()) == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Filen är tom."),
    (b"kod;namn\r\nA;B\r\n", "Första raden ska ha kolumnernas namn. Det saknas: framework_code"),
    (HEADER.encode() + b";extra\r\n", "Okända kolumner: extra."),
    (HEADER.encode() + b"\r\n", "Filen har inga rader under kolumnnamnen."),
    (csv_file("nytt-ramverk;;;A;Område;;A1;Kompetens;"),
     "Det finns inget ramverk med koden nytt-ramverk än."),
    (csv_file("Fel Kod;Namn;;A;Område;;A1;Kompetens;"), "Ramverkskoden Fel Kod går inte att"),
])
def test_whole_file_problems_say_what_to_do(content, message):
    with translation.override("sv"):
        plan = csvio.read_import(content)
    assert not plan.is_valid
    assert any(error.startswith(message) for error in plan.errors), plan.errors
