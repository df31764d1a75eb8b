"""The time report per unit and month: entries, certification, summary, files, access."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from modig.reports import timereport
from modig.training.tests.test_certificates import pdf_text

MARCH = datetime.date(2026, 3, 1)


def test_entries_certification_and_summary(time_region):
    report = timereport.unit_month(time_region.programme, time_region.vikadamm, MARCH)
    by_name = {p.person.first_name: p for p in report.participants}
    assert set(by_name) == {"Anna", "Bertil", "Dana"}
    anna = by_name["Anna"]
    assert [(e.on, e.minutes, e.certified) for e in anna.entries] == [
        (datetime.date(2026, 3, 2), 120, True), (datetime.date(2026, 3, 10), 60, True)]
    # Bertil's confirmation is stale: his time was corrected after he certified it.
    assert [(e.minutes, e.certified) for e in by_name["Bertil"].entries] == [(120, False)]
    assert [(e.minutes, e.certified) for e in by_name["Dana"].entries] == [
        (120, False), (30, False)]
    assert (report.people, report.minutes, report.certified_minutes) == (3, 450, 180)
    assert report.certified_share == 40


def test_other_months_and_units(time_region):
    assert timereport.unit_month(time_region.programme, time_region.vikadamm,
                                 datetime.date(2026, 4, 1)).participants == []
    # Dana also works at Solgården: her time is in that unit's report too.
    solgarden = timereport.unit_month(time_region.programme, time_region.solgarden, MARCH)
    assert [(p.person.first_name, p.minutes) for p in solgarden.participants] == [("Dana", 150)]
    # A unit's report includes the units below it.
    area = timereport.unit_month(time_region.programme, time_region.nodinge, MARCH)
    assert area.minutes == 450


def file_url(region, unit, file_format, month="2026-03"):
    return reverse("reports:time-report-file",
                   args=[region.programme.pk, unit.pk, month, file_format])


def test_the_manager_reads_the_page_and_the_pdf(time_region, unit_manager, login):
    client = login(unit_manager)
    page = client.get(reverse("reports:time-report", args=[time_region.programme.pk]),
                      {"enhet": time_region.vikadamm.pk, "manad": "2026-03"})
    assert page.status_code == 200
    assert "Intygad av deltagarna: 40 % av tiden" in page.text
    assert "Bertil Berg" in page.text
    response = client.get(file_url(time_region, time_region.vikadamm, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Tidrapport Vikadamm boende 2026-03" in text
    assert "Deltagare: 3" in text
    assert "Utbildningstid: 7 tim 30 min" in text
    assert "Anna Andersson: 3 tim" in text
    assert "Ej intygad" in text
    assert "Enhetschefens underskrift" in text


def test_the_xlsx_reads_back(time_region, coordinator, login):
    response = login(coordinator).get(file_url(time_region, time_region.vikadamm, "xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert summary["Deltagare"] == 3
    assert summary["Utbildningsminuter"] == 450
    assert summary["Intygade minuter"] == 180
    assert summary["Intygad andel (%)"] == 40
    assert workbook.sheetnames[1] == "Poster"
    entries = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert entries[0] == ("Namn", "Datum", "Kurs", "Minuter", "Intygad")
    assert len(entries) == 1 + 5
    assert (entries[3][0], entries[3][3], entries[3][4]) == ("Bertil Berg", 120, "Nej")


def test_scope(time_region, unit_manager, ambassador, login, client):
    login(unit_manager)
    assert client.get(file_url(time_region, time_region.solgarden, "pdf")).status_code == 404
    assert client.get(file_url(time_region, time_region.vikadamm, "pdf", "2024-01")
                      ).status_code == 404
    page = client.get(reverse("reports:time-report", args=[time_region.programme.pk]),
                      {"enhet": time_region.solgarden.pk, "manad": "2026-03"})
    assert "Välj en av dina enheter" in page.text
    login(ambassador)
    assert client.get(file_url(time_region, time_region.vikadamm, "pdf")).status_code == 403
