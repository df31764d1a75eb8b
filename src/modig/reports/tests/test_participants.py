"""The monthly participant report: who is in which month, identity forms, regeneration."""

import datetime

import pytest

from modig.reports import participants, services
from modig.reports.models import EsfBackground, ParticipantReportMonth
from modig.reports.tests.conftest import complete

TODAY = datetime.date(2026, 12, 2)


def rows_of(region, month: str, today=TODAY):
    return participants.month_rows(region.programme, datetime.date.fromisoformat(f"{month}-01"),
                                   today)


def by_start(rows):
    return {row[8]: row for row in rows}


def test_report_months_run_from_programme_start_to_the_last_month_that_is_over(region):
    months = participants.report_months(region.programme, TODAY)
    assert months[0] == datetime.date(2025, 1, 1)
    assert months[-1] == datetime.date(2026, 11, 1)
    assert len(months) == 23
    after_end = participants.report_months(region.programme, datetime.date(2030, 1, 1))
    assert after_end[-1] == datetime.date(2027, 12, 1)


def test_people_start_in_the_month_of_their_first_entry(esf_region):
    february = rows_of(esf_region, "2026-02")
    assert len(february) == 1
    anna = february[0]
    assert anna[1] == esf_region.anna.identity_number
    assert anna[2] == participants.PERSONAL_NUMBER
    assert anna[3] == "19800512"
    assert anna[4] == "K"
    assert anna[5] == 45  # on 10 February 2026, born 12 May 1980
    assert anna[8:] == ["2026-02-10", ""]
    assert rows_of(esf_region, "2026-01") == []


def test_people_end_in_the_month_of_their_last_entry_once_they_have_left(esf_region):
    march = by_start(rows_of(esf_region, "2026-03"))
    # Bertil starts and ends in March (one entry, employment over): one row with both dates.
    assert march["2026-03-03"][8:] == ["2026-03-03", "2026-03-03"]
    # Cecilia starts in March; her last entry is in June.
    assert march["2026-03-15"][8:] == ["2026-03-15", ""]
    june = rows_of(esf_region, "2026-06")
    assert [row[8:] for row in june] == [["2026-03-15", "2026-06-01"]]
    # Anna is still employed and the programme runs: her last entry (May) is no end yet.
    assert rows_of(esf_region, "2026-05") == []


def test_everyone_ends_once_the_programme_period_is_over(esf_region):
    may = rows_of(esf_region, "2026-05", today=datetime.date(2028, 1, 10))
    assert [row[8:] for row in may] == [["2026-02-10", "2026-05-20"]]


def test_protected_identity_and_missing_numbers_get_the_placeholder_form(esf_region):
    march = by_start(rows_of(esf_region, "2026-03"))
    bertil, cecilia = march["2026-03-03"], march["2026-03-15"]
    assert bertil[1:5] == ["19750101-M", participants.PLACEHOLDER, "19750101", "M"]
    assert esf_region.bertil.identity_number not in str(march)
    assert esf_region.bertil.identity_number[8:] not in bertil[1]
    assert cecilia[1:5] == ["19900000-K", participants.PLACEHOLDER, "19900000", "K"]
    assert cecilia[5] == 36


def test_background_fields_come_from_the_esf_background(esf_region):
    assert rows_of(esf_region, "2026-02")[0][6:8] == ["unknown", "unknown"]
    EsfBackground.objects.create(person=esf_region.anna, education_level="upper_secondary",
                                 employment_status="employed")
    assert rows_of(esf_region, "2026-02")[0][6:8] == ["upper_secondary", "employed"]


def versions(region):
    return {(report.month.strftime("%Y-%m"), report.version) for report in
            ParticipantReportMonth.objects.filter(programme=region.programme)}


def test_generation_stores_every_month_once_and_a_repeat_adds_nothing(esf_region):
    first = services.regenerate_from(esf_region.programme, datetime.date(2025, 1, 1), by=None,
                                     today=TODAY)
    assert len(first.created) == 23 and first.unchanged == []
    stored = ParticipantReportMonth.objects.get(programme=esf_region.programme,
                                                month=datetime.date(2026, 3, 1))
    assert stored.row_count == 2
    assert stored.content_hash == participants.content_hash(stored.rows)
    again = services.regenerate_from(esf_region.programme, datetime.date(2025, 1, 1), by=None,
                                     today=TODAY)
    assert again.created == [] and len(again.unchanged) == 23


def test_a_back_dated_correction_regenerates_that_month_and_later_ones_only(esf_region):
    services.regenerate_from(esf_region.programme, datetime.date(2025, 1, 1), by=None,
                             today=TODAY)
    before = versions(esf_region)
    # Cecilia's earlier course is recorded afterwards: she started in January, not March.
    complete(esf_region, esf_region.cecilia, "2026-01-20")
    result = services.regenerate_from(esf_region.programme, datetime.date(2026, 1, 1),
                                      by=None, today=TODAY)
    assert sorted(f"{r.month:%Y-%m}" for r in result.created) == [
        "2026-01", "2026-03", "2026-06"]
    assert versions(esf_region) - before == {("2026-01", 2), ("2026-03", 2), ("2026-06", 2)}
    # Old versions are kept, earlier months untouched.
    assert ("2026-03", 1) in versions(esf_region)
    assert all(version == 1 for month, version in versions(esf_region) if month < "2026-01")
    new_march = ParticipantReportMonth.objects.get(
        programme=esf_region.programme, month=datetime.date(2026, 3, 1), version=2)
    assert [row[8] for row in new_march.rows] == ["2026-03-03"]
    june = ParticipantReportMonth.objects.get(
        programme=esf_region.programme, month=datetime.date(2026, 6, 1), version=2)
    assert june.rows[0][8:] == ["2026-01-20", "2026-06-01"]


@pytest.mark.parametrize("month", [datetime.date(2024, 12, 1), datetime.date(2026, 12, 1),
                                   datetime.date(2026, 3, 15)])
def test_months_outside_the_reportable_ones_are_refused(region, month):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.regenerate_from(region.programme, month, by=None, today=TODAY)
    assert not ParticipantReportMonth.objects.exists()
