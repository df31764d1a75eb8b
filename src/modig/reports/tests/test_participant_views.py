"""The participant report pages through HTTP: generation, downloads read back, logging."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from modig.accounts.models import AccessLogEntry
from modig.reports.models import ParticipantReportMonth
from modig.reports.tests.conftest import complete


def page(region):
    return reverse("reports:participant-months", args=[region.programme.pk])


def generate(client, region, month):
    return client.post(reverse("reports:participant-regenerate", args=[region.programme.pk]),
                       {"month": month}, follow=True)


def march(region, version=1):
    return ParticipantReportMonth.objects.get(
        programme=region.programme, month=datetime.date(2026, 3, 1), version=version)


def test_the_admin_generates_every_month_and_sees_the_versions(esf_region, programme_admin,
                                                              login):
    client = login(programme_admin)
    response = generate(client, esf_region, "2025-01")
    assert response.status_code == 200
    assert "nya versioner" in response.text
    assert march(esf_region).row_count == 2
    text = client.get(page(esf_region)).text
    assert "Version 1, 2 rader" in text
    assert reverse("reports:participant-download", args=[march(esf_region).pk, "xlsx"]) in text


def test_regenerating_after_a_correction_keeps_old_versions_listed(esf_region,
                                                                   programme_admin, login):
    client = login(programme_admin)
    generate(client, esf_region, "2025-01")
    complete(esf_region, esf_region.cecilia, "2026-01-20")
    generate(client, esf_region, "2026-01")
    text = client.get(page(esf_region)).text
    assert "Version 2, 1 rad" in text and "Version 1, 2 rader" in text
    assert ParticipantReportMonth.objects.filter(month=datetime.date(2026, 2, 1)).count() == 1


def test_a_bad_month_is_refused_with_a_message(esf_region, programme_admin, login):
    response = generate(login(programme_admin), esf_region, "2031-13")
    assert "Välj en månad" in response.text
    assert not ParticipantReportMonth.objects.exists()


def test_the_xlsx_file_reads_back_and_its_download_is_logged(esf_region, programme_admin,
                                                             login):
    client = login(programme_admin)
    generate(client, esf_region, "2025-01")
    response = client.get(reverse("reports:participant-download",
                                  args=[march(esf_region).pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="esf-deltagare-2026-03-v1.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Redovisningsmånad", "Identitet", "Identitetsform"]
    assert [row[1] for row in rows[1:]] == ["19750101-M", "19900000-K"]
    assert rows[1][8:] == ["2026-03-03", "2026-03-03"]
    # A file with placeholders only: an export entry, no identity-number entry.
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT,
                                         user=programme_admin).count() == 1
    assert not AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_IDENTITY_NUMBER).exists()


def test_each_csv_download_with_identity_numbers_logs_the_people_in_it(esf_region,
                                                                       programme_admin, login):
    client = login(programme_admin)
    generate(client, esf_region, "2025-01")
    february = ParticipantReportMonth.objects.get(month=datetime.date(2026, 2, 1))
    url = reverse("reports:participant-download", args=[february.pk, "csv"])
    for _ in range(2):
        response = client.get(url)
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == esf_region.anna.identity_number
    logged = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW_IDENTITY_NUMBER)
    assert logged.count() == 2
    assert set(logged.values_list("person", flat=True)) == {esf_region.anna.pk}
    assert "esf-deltagare-2026-02-v1.csv" in logged.first().detail


def test_others_may_neither_see_nor_download(esf_region, programme_admin, coordinator, login,
                                             client):
    sign = login(programme_admin)
    generate(sign, esf_region, "2025-01")
    url = reverse("reports:participant-download", args=[march(esf_region).pk, "csv"])
    login(coordinator)
    assert client.get(url).status_code == 403
    assert client.get(page(esf_region)).status_code == 403
    assert not AccessLogEntry.objects.filter(user=coordinator).exists()
