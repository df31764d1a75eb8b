"""The hours ledger on a small region with known answers (DESIGN.md definitions,
docs/training-hours.md).

Programme period 2025–2027. Course "Dokumentation" (on site), one session, two meetings:
2 March 2026 09:00–11:30 (150 min) and 9 March 2026 09:00–11:00 (120 min).
- Anna: present at both → 270 min.
- Bertil: partly present 60 min, then absent → 60 min.
- Dana (Ale and Tjörn, managers' category in Tjörn): absent → nothing from the session;
  completes the self-paced "Appar" (45 min) on 1 April 2026 → 45 min.
- Cecilia: completed "Appar" in 2024, before the period → not trained; her attendance in
  another programme and in a cancelled session count nowhere here.
Totals: 3 people trained, 375 minutes.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import F, IntegerField, Value
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext

from modig.organisation.models import Employment, Programme, StaffCategory
from modig.training import ledger, services
from modig.training.models import Course, Enrolment, Session
from modig.training.tests.factories import make_course, make_session, meeting


def _attend(session, person, statuses):
    services.enrol(session, person, by=None, source="self")
    for the_meeting, (status, minutes) in zip(session.meetings.all(), statuses, strict=False):
        services.record_attendance(the_meeting, person, status=status, minutes=minutes,
                                   by=None, source="manual")


@pytest.fixture
def figures(region):
    Employment.objects.filter(person=region.dual, municipality=region.tjorn).update(
        staff_category=StaffCategory.MANAGEMENT)
    course = make_course(region.programme, title="Dokumentation")
    session = make_session(course, meetings=[meeting("2026-03-02", "09:00", "11:30"),
                                             meeting("2026-03-09", "09:00", "11:00")])
    _attend(session, region.anna, [("present", None), ("present", None)])
    _attend(session, region.bertil, [("partial", 60), ("absent", None)])
    _attend(session, region.dual, [("absent", None)])
    apps = make_course(region.programme, title="Appar", format=Course.Format.SELF_PACED,
                       nominal_minutes=45)
    services.complete_distance_course(apps, region.dual, completed_on=datetime.date(2026, 4, 1),
                                      by=None, confirmed_as="self")
    services.complete_distance_course(apps, region.cecilia,
                                      completed_on=datetime.date(2024, 6, 1), by=None,
                                      confirmed_as="self")
    cancelled = make_session(course, meetings=[meeting("2026-05-04")])
    _attend(cancelled, region.cecilia, [("present", None)])
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    other = Programme.objects.create(name="Annat", owner_organisation="X",
                                     starts_on=datetime.date(2025, 1, 1),
                                     ends_on=datetime.date(2027, 12, 31))
    other.municipalities.set([region.tjorn])
    _attend(make_session(make_course(other)), region.cecilia, [("present", None)])
    return region


def test_trained_people_and_hours_for_the_programme(figures):
    trained = ledger.trained_people(figures.programme)
    assert set(trained) == {figures.anna, figures.bertil, figures.dual}
    assert trained.count() == 3
    total = ledger.totals(figures.programme)
    assert (total.people, total.minutes) == (3, 375)
    assert total.hours == 6.25


def test_a_person_in_two_municipalities_is_in_both_rows_and_once_in_the_total(figures):
    rows = {row.key: (row.people, row.minutes)
            for row in ledger.hours_by(figures.programme, "municipality")}
    assert rows == {figures.ale.pk: (3, 375), figures.tjorn.pk: (1, 45)}
    assert ledger.totals(figures.programme).people == 3


def test_a_filter_on_municipality_counts_only_its_people(figures):
    tjorn = ledger.LedgerFilter(municipalities=[figures.tjorn])
    assert list(ledger.trained_people(figures.programme, tjorn)) == [figures.dual]
    assert ledger.totals(figures.programme, tjorn).minutes == 45
    # Breakdowns under a filter use only the matching employments.
    assert [(r.key, r.people) for r in ledger.hours_by(figures.programme, "municipality",
                                                       tjorn)] == [(figures.tjorn.pk, 1)]


def test_breakdown_by_staff_category(figures):
    rows = {row.key: (row.people, row.minutes)
            for row in ledger.hours_by(figures.programme, "staff_category")}
    assert rows == {"base": (3, 375), "management": (1, 45)}


def test_breakdown_by_unit_and_a_unit_filter_covers_the_units_below(figures):
    rows = {row.key: (row.people, row.minutes)
            for row in ledger.hours_by(figures.programme, "unit")}
    assert rows == {figures.vikadamm.pk: (3, 375), figures.solgarden.pk: (1, 45)}
    nodinge = ledger.LedgerFilter(units=[figures.nodinge])
    assert ledger.trained_people(figures.programme, nodinge).count() == 3


def test_breakdown_by_gender(figures):
    rows = {row.key: row.people for row in ledger.hours_by(figures.programme, "gender")}
    assert rows == {"female": 2, "male": 1}


def test_minutes_per_person(figures):
    assert ledger.minutes_by_person(figures.programme) == {
        figures.anna.pk: 270, figures.bertil.pk: 60, figures.dual.pk: 45}


def test_the_records_behind_a_figure(figures):
    tjorn = ledger.LedgerFilter(municipalities=[figures.tjorn])
    records = list(ledger.records_behind(figures.programme, tjorn))
    assert [(r["entry_kind"], r["entry_person"], r["entry_minutes"], r["entry_title"])
            for r in records] == [("distance", figures.dual.pk, 45, "Appar")]
    assert sum(r["entry_minutes"] for r in ledger.records_behind(figures.programme)) == 375


def test_a_persons_history_lists_each_record_by_date(figures):
    history = list(ledger.person_history(figures.anna))
    assert [(r["entry_on"], r["entry_minutes"]) for r in history] == [
        (datetime.date(2026, 3, 2), 150), (datetime.date(2026, 3, 9), 120)]
    # Cecilia's records are outside this programme's period or in another programme.
    other = Programme.objects.get(name="Annat")
    assert [r["entry_minutes"] for r in ledger.person_history(figures.cecilia)] == [120]
    assert list(ledger.person_history(figures.cecilia, figures.programme)) == []
    assert other.pk


def test_each_figure_is_one_query_after_the_snapshot_check(figures):
    ledger.totals(figures.programme)  # stale: queues a rebuild (once)
    for rebuilt in (False, True):
        if rebuilt:
            ledger.rebuild(figures.programme)
        with CaptureQueriesContext(connection) as queries:
            ledger.totals(figures.programme)
            ledger.hours_by(figures.programme, "municipality")
            ledger.trained_people(figures.programme).count()
        assert len(queries) == 6
        assert ledger.is_current(figures.programme) is rebuilt


def test_a_registered_source_counts_in_every_figure(figures, monkeypatch):
    """The seam for coaching (issue 6): a third kind of record, added without other changes."""
    def coaching(programme):
        return (Enrolment.objects.filter(person=figures.cecilia)
                .annotate(entry_person=F("person_id"), entry_on=TruncDate("created_at"),
                          entry_minutes=Value(30, output_field=IntegerField()),
                          entry_kind=Value("coaching"), entry_id=F("pk"),
                          entry_course=F("session__course_id"),
                          entry_title=F("session__course__title")))

    # The real coaching source (ambassadors app) is left out: this checks the seam alone.
    monkeypatch.setattr(ledger, "SOURCES", [s for s in ledger.SOURCES
                                            if s.kind in (ledger.ATTENDANCE, ledger.DISTANCE)])
    ledger.register_source(ledger.Source("coaching", coaching))
    ledger.register_source(ledger.Source("coaching", coaching))  # once only
    total = ledger.totals(figures.programme)
    # Cecilia has two enrolments (the cancelled session's and the other programme's).
    assert (total.people, total.minutes) == (4, 375 + 60)
    assert figures.cecilia in ledger.trained_people(figures.programme)
