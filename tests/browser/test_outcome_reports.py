"""The programme administrator's outcome pages and report downloads in a real browser, each
page scanned with axe-core: the programme, municipality and unit dashboards, the definitions
page, the records behind a figure, the final report (page and PDF, whose text must carry the
page's headline figures), the evaluator's extract, an ESF monthly participant file and a time
report."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.reports.tests.conftest import complete

from .browsing import use_session_of, visit


@pytest.fixture
def trained_region(region):
    """Eleven people trained in Ale and Tjörn (60 minutes each, March 2026) against targets of
    10 people, 8 base staff, 2 managers and 20 hours."""
    programme = region.programme
    programme.target_people_total = 10
    programme.target_people_base = 8
    programme.target_people_management = 2
    programme.target_training_hours = 20
    programme.save()
    for index in range(11):
        person = PersonFactory()
        municipality, unit = ((region.ale, region.vikadamm) if index < 6
                              else (region.tjorn, region.solgarden))
        EmploymentFactory(person=person, municipality=municipality, units=[unit],
                          employee_id=f"B{index}", staff_category=StaffCategory.BASE)
        complete(region, person, "2026-03-10")
    complete(region, region.anna, "2026-03-12")
    return region


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_administrator_opens_the_dashboards_and_downloads_the_reports(
        desktop, server, trained_region, programme_admin):
    region = trained_region
    page = desktop
    use_session_of(page, server, programme_admin)
    for path in ["/resultat/program/", f"/resultat/kommun/{region.ale.code}/",
                 f"/resultat/enhet/{region.vikadamm.pk}/", "/resultat/definitioner/",
                 f"/resultat/underlag/?kommun={region.ale.code}"]:
        visit(page, f"{server}{path}")
        assert page.get_by_role("heading", level=1).count() == 1, path

    # The final report: the page, then its PDF with the same headline figures.
    visit(page, f"{server}/rapporter/{region.programme.pk}/slutrapport/")
    headline = [_words(text) for text in page.locator("#goals li").all_inner_texts()]
    assert headline[0] == "Målet nåddes: 12 av 10 utbildade personer (120 %)."
    assert "Målet nåddes inte: 12 av 20 utbildningstimmar (60 %)." in headline
    totals = [_words(text) for text in page.locator("#totals tbody tr").all_inner_texts()]
    pdf = _download(page, page.get_by_role("link", name="Ladda ner som pdf"))
    assert pdf.startswith(b"%PDF")
    text = _words("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for sentence in headline:
        assert sentence in text, sentence
    for row in totals[:2]:  # people trained and training hours against their targets
        assert row.replace("\t", " ") in text, row

    extract = _download(page, page.get_by_role("link", name="Ladda ner underlaget för "
                                                             "utvärdering (zip)"))
    with zipfile.ZipFile(io.BytesIO(extract)) as archive:
        names = archive.namelist()
        assert "LASMIG.txt" in names
        municipalities = archive.read("utbildade_per_kommun.csv").decode("utf-8-sig")
    assert "Hela programmet;12;12,0;" in municipalities

    # An ESF monthly participant file and a time report.
    from modig.reports import services

    services.regenerate_from(region.programme, datetime.date(2026, 3, 1), by=None)
    visit(page, f"{server}/rapporter/{region.programme.pk}/esf/deltagare/")
    esf = _download(page, page.locator("a[href$='.csv']").first)
    assert esf.decode("utf-8-sig").startswith("Redovisningsmånad;")
    visit(page, f"{server}/rapporter/{region.programme.pk}/tid/"
                f"?enhet={region.vikadamm.pk}&manad=2026-03")
    time_pdf = _download(page, page.locator("a[href$='.pdf']").first)
    assert time_pdf.startswith(b"%PDF")
    assert "Tidrapport" in _words(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(time_pdf)).pages))
