"""The shape of the ledger's SQL where it decides the speed at national scale
(bench/training_ledger.py: 300,000 people, 3,000,000 attendance records)."""

import datetime

from modig.training import ledger, services
from modig.training.models import Course
from modig.training.tests.factories import make_course, make_session, meeting


def test_trained_people_is_one_in_over_the_union_of_the_sources(region):
    # An OR of one IN per source made PostgreSQL scan a source again for every person once
    # it outgrew work_mem (over ten minutes in the benchmark); one IN over a UNION ALL is a
    # hashed semi-join.
    course = make_course(region.programme)
    session = make_session(course, meetings=[meeting("2026-03-02")])
    services.enrol(session, region.anna, by=None, source="self")
    services.record_attendance(session.meetings.get(), region.anna, status="present",
                               by=None, source="manual")
    apps = make_course(region.programme, format=Course.Format.SELF_PACED, nominal_minutes=45)
    services.complete_distance_course(apps, region.bertil, completed_on=datetime.date(2026, 4, 1),
                                      by=None, confirmed_as="self")
    trained = ledger.trained_people(region.programme)
    sql = str(trained.query).upper()
    assert sql.count(" IN (") == 1 and "UNION ALL" in sql and " OR " not in sql
    assert set(trained) == {region.anna, region.bertil}


def test_figures_are_whole_minutes_as_int_on_every_database(region):
    # Sums of per-person sums come back from PostgreSQL as numeric (Decimal).
    course = make_course(region.programme)
    session = make_session(course, meetings=[meeting("2026-03-02", "09:00", "11:30")])
    for person in (region.anna, region.dual):
        services.enrol(session, person, by=None, source="self")
        services.record_attendance(session.meetings.get(), person, status="present", by=None,
                                   source="manual")
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (2, 300) and type(total.minutes) is int
    rows = ledger.hours_by(region.programme, "municipality")
    assert {(row.key, row.people, row.minutes) for row in rows} == {
        (region.ale.pk, 2, 300), (region.tjorn.pk, 1, 150)}
    assert all(type(row.minutes) is int for row in rows)
