"""The hours ledger's per-person snapshot (training/ledger.py): while current, its figures
equal the live figures; every kind of write makes it stale, figures are then computed live
(still exact) and a rebuild is queued once; a rebuild makes it current again."""

import datetime

import pytest
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from modig.organisation.models import Person
from modig.organisation.services import merge_people
from modig.training import ledger, services
from modig.training.models import (
    Course,
    DistanceCompletion,
    Enrolment,
    LedgerAggregate,
    LedgerPersonMinutes,
    LedgerPersonPart,
    LedgerSnapshot,
    Session,
)
from modig.training.services import RollCallRow
from modig.training.tasks import rebuild_ledger
from modig.training.tests.factories import make_course, make_session, meeting

PRESENT, ABSENT, PARTIAL = "present", "absent", "partial"


def every_figure(programme, region) -> dict:
    one = ledger.LedgerFilter(municipalities=[region.tjorn])
    return {
        "totals": ledger.totals(programme),
        "trained": sorted(ledger.trained_people(programme).values_list("pk", flat=True)),
        "trained count": ledger.trained_people(programme).count(),
        **{f"by {g}": ledger.hours_by(programme, g) for g in ledger.GROUPINGS},
        "per person": ledger.minutes_by_person(programme),
        "tjorn": ledger.totals(programme, one),
        "tjorn by unit": ledger.hours_by(programme, "unit", one),
        "by format": ledger.hours_by_format(programme),
        "tjorn by format": ledger.hours_by_format(programme, one),
        "minutes by month": ledger.minutes_by_month(programme),
        "tjorn minutes by month": ledger.minutes_by_month(programme, one),
        "new by month": ledger.new_people_by_month(programme),
        "tjorn new by month": ledger.new_people_by_month(programme, one),
        "many": ledger.hours_by_many(programme, ledger.GROUPINGS),
        "tjorn many": ledger.hours_by_many(programme, ledger.GROUPINGS, one),
    }


def live_figures(programme, region, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(ledger, "_snapshot_level", lambda programme: 0)
        return every_figure(programme, region)


def assert_snapshot_equals_live(programme, region, monkeypatch) -> dict:
    ledger.rebuild(programme)
    assert ledger.is_current(programme)
    snapshot = every_figure(programme, region)
    assert snapshot == live_figures(programme, region, monkeypatch)
    # Several breakdowns at once (one statement on PostgreSQL) are each breakdown's hours_by.
    for label, filters in (("many", None),
                           ("tjorn many", ledger.LedgerFilter(municipalities=[region.tjorn]))):
        for group_by, rows in snapshot[label].items():
            assert rows == ledger.hours_by(programme, group_by, filters), (label, group_by)
    return snapshot


def _attend(session, person, statuses):
    services.enrol(session, person, by=None, source="self")
    for the_meeting, (status, minutes) in zip(session.meetings.all(), statuses, strict=False):
        services.record_attendance(the_meeting, person, status=status, minutes=minutes,
                                   by=None, source="manual")


@pytest.fixture
def session(region):
    course = make_course(region.programme, title="Dokumentation")
    return make_session(course, meetings=[meeting("2026-03-02", "09:00", "11:30"),
                                          meeting("2026-03-09", "09:00", "11:00")])


@pytest.fixture
def trained(region, session):
    _attend(session, region.anna, [(PRESENT, None), (PRESENT, None)])
    _attend(session, region.bertil, [(PARTIAL, 60), (ABSENT, None)])
    _attend(session, region.dual, [(ABSENT, None)])
    return session


@pytest.fixture
def apps(region):
    return make_course(region.programme, title="Appar", format=Course.Format.SELF_PACED,
                       nominal_minutes=45)


def test_partial_attendance_and_absence(region, trained, monkeypatch):
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    assert figures["totals"] == ledger.Figure(None, 2, 330)
    assert LedgerPersonMinutes.objects.get(person=region.anna).entries == 2


def test_a_cancelled_session_counts_nowhere(region, trained, monkeypatch):
    cancelled = make_session(trained.course, meetings=[meeting("2026-05-04")])
    _attend(cancelled, region.cecilia, [(PRESENT, None)])
    ledger.rebuild(region.programme)
    cancelled.status = Session.Status.CANCELLED
    cancelled.save(update_fields=["status"])
    assert not ledger.is_current(region.programme)
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    assert region.cecilia.pk not in figures["trained"]


def test_distance_completion_and_its_undoing(region, trained, apps, monkeypatch):
    ledger.rebuild(region.programme)
    completion = services.complete_distance_course(
        apps, region.dual, completed_on=datetime.date(2026, 4, 1), by=None,
        confirmed_as="self")
    assert not ledger.is_current(region.programme)
    assert ledger.totals(region.programme) == ledger.Figure(None, 3, 375)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 3, 375))
    completion.delete()
    assert not ledger.is_current(region.programme)
    assert ledger.totals(region.programme) == ledger.Figure(None, 2, 330)
    assert_snapshot_equals_live(region.programme, region, monkeypatch)
    apps.nominal_minutes = 60
    services.complete_distance_course(apps, region.cecilia,
                                      completed_on=datetime.date(2026, 4, 1), by=None,
                                      confirmed_as="self")
    ledger.rebuild(region.programme)
    apps.save(update_fields=["nominal_minutes"])  # a course change changes the hours
    assert not ledger.is_current(region.programme)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 3, 390))


def test_a_person_in_two_municipalities_is_in_both_rows_and_once_in_the_total(
        region, trained, apps, monkeypatch):
    services.complete_distance_course(apps, region.dual, completed_on=datetime.date(2026, 4, 1),
                                      by=None, confirmed_as="self")
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    rows = {f.key: f for f in figures["by municipality"]}
    assert rows[region.tjorn.pk].people >= 1 and rows[region.ale.pk].people >= 1
    assert figures["totals"].people == 3
    assert sum(f.people for f in rows.values()) > figures["totals"].people


def test_a_change_after_a_rebuild_is_counted_live_until_the_next_rebuild(
        region, trained, monkeypatch, django_capture_on_commit_callbacks):
    ledger.rebuild(region.programme)
    before = ledger.totals(region.programme)
    services.record_attendance(trained.meetings.all()[1], region.bertil, status=PRESENT,
                               by=None, source="manual")
    assert not ledger.is_current(region.programme)
    # Stale: exact figures from the entries, and one rebuild queued however often asked.
    with django_capture_on_commit_callbacks() as callbacks:
        assert ledger.totals(region.programme) == ledger.Figure(None, 2, before.minutes + 120)
        assert ledger.hours_by(region.programme, "municipality")
    assert len(callbacks) == 1
    assert LedgerSnapshot.objects.get(programme=region.programme).rebuild_requested_at
    assert not ledger.request_rebuild(region.programme)
    rebuild_ledger.call(region.programme.pk)
    assert ledger.is_current(region.programme)
    assert LedgerSnapshot.objects.get(programme=region.programme).rebuild_requested_at is None
    assert ledger.totals(region.programme) == ledger.Figure(None, 2, before.minutes + 120)


def test_the_snapshot_is_read_while_current(region, trained):
    ledger.rebuild(region.programme)
    # Rows that disagree with the entries show the figures come from the snapshot.
    LedgerPersonMinutes.objects.filter(person=region.anna).update(minutes=1000)
    everyone = ledger.LedgerFilter(people=Person.objects.all())
    assert ledger.totals(region.programme, everyone).minutes == 1060
    LedgerAggregate.objects.filter(kind="total").update(minutes=5)
    assert ledger.totals(region.programme).minutes == 5
    # So are the parts (a filter's months and formats) and the programme's aggregate rows.
    anna = ledger.LedgerFilter(people=Person.objects.filter(pk=region.anna.pk))
    month = LedgerPersonPart.objects.filter(person=region.anna).get().month
    assert month == "2026-03"
    LedgerPersonPart.objects.filter(person=region.anna).update(minutes=1000)
    assert ledger.minutes_by_month(region.programme, anna) == {month: 1000}
    assert ledger.hours_by_format(region.programme, anna)[0].minutes == 1000
    LedgerAggregate.objects.filter(kind="month").update(minutes=7)
    assert ledger.minutes_by_month(region.programme) == {month: 7}
    LedgerAggregate.objects.filter(kind="format").update(people=99)
    assert [f.people for f in ledger.hours_by_format(region.programme)] == [99]


def set_now(monkeypatch, text: str) -> None:
    moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_roll_call_check_in_and_walk_in_make_it_stale(region, trained, monkeypatch):
    session = make_session(trained.course, municipality=region.ale,
                           meetings=[meeting("2026-03-16", "09:00", "11:00")])
    the_meeting = session.meetings.get()
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    services.enrol(session, region.bertil, by=None, source=Enrolment.Source.SELF)
    set_now(monkeypatch, "2026-03-16 09:10")
    ledger.rebuild(region.programme)
    services.record_roll_call(the_meeting, [RollCallRow(region.anna.pk, PRESENT)], by=None)
    assert not ledger.is_current(region.programme)
    assert_snapshot_equals_live(region.programme, region, monkeypatch)
    services.check_in(the_meeting, region.bertil, by=None)
    assert not ledger.is_current(region.programme)
    assert_snapshot_equals_live(region.programme, region, monkeypatch)
    services.add_walk_in(the_meeting, region.dual, by=None)
    assert not ledger.is_current(region.programme)
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    assert region.dual.pk in figures["trained"]


def test_new_meeting_times_change_present_minutes(region, trained, monkeypatch):
    ledger.rebuild(region.programme)
    first, second = trained.meetings.all()
    services.update_session(trained, by=None, meetings=[
        meeting(first.date, "09:00", "12:00", pk=first.pk),
        meeting(second.date, "09:00", "11:00", pk=second.pk)])
    assert not ledger.is_current(region.programme)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 2, 360))


def test_programme_period_and_course_programme_changes(region, trained, monkeypatch):
    ledger.rebuild(region.programme)
    region.programme.ends_on = datetime.date(2026, 3, 5)
    region.programme.save()
    assert not ledger.is_current(region.programme)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 2, 210))
    other = type(region.programme).objects.create(
        name="Annat", owner_organisation="X", starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31))
    ledger.rebuild(other)
    course = trained.course
    course.programme = other
    course.save()
    assert not ledger.is_current(region.programme) and not ledger.is_current(other)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 0, 0))
    assert assert_snapshot_equals_live(other, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 2, 330))


def test_merging_two_people_counts_them_once(region, trained, apps, monkeypatch):
    duplicate = Person.objects.create(first_name="Anna", last_name="Andersson")
    DistanceCompletion.objects.create(course=apps, person=duplicate,
                                      completed_on=datetime.date(2026, 4, 1),
                                      confirmed_as="self")
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    assert figures["totals"] == ledger.Figure(None, 3, 375)
    merge_people(region.anna, duplicate=duplicate)
    assert not ledger.is_current(region.programme)
    assert assert_snapshot_equals_live(region.programme, region, monkeypatch)["totals"] == (
        ledger.Figure(None, 2, 375))


def test_a_registered_source_is_in_the_snapshot_and_marks_changes(region, trained,
                                                                   monkeypatch):
    minutes = {"value": 30}

    def coaching(programme):
        return (Enrolment.objects.filter(person=region.cecilia)
                .annotate(entry_person=F("person_id"), entry_on=TruncDate("created_at"),
                          entry_minutes=Value(minutes["value"], output_field=IntegerField()),
                          entry_kind=Value("fake_source", output_field=CharField()),
                          entry_id=F("pk"), entry_course=Value(None, IntegerField()),
                          entry_title=Value("", output_field=CharField())))

    monkeypatch.setattr(ledger, "SOURCES", list(ledger.SOURCES))
    ledger.register_source(ledger.Source("fake_source", coaching))
    services.enrol(trained, region.cecilia, by=None, source="self")
    figures = assert_snapshot_equals_live(region.programme, region, monkeypatch)
    assert figures["totals"] == ledger.Figure(None, 3, 360)
    minutes["value"] = 45
    ledger.mark_changed(region.programme)
    assert not ledger.is_current(region.programme)
    assert ledger.totals(region.programme) == ledger.Figure(None, 3, 375)


def test_a_programme_with_a_narrowed_period_is_counted_live_not_from_the_snapshot(region,
                                                                                  trained):
    import copy
    import datetime

    ledger.rebuild(region.programme)
    assert ledger.totals(region.programme).people == 2
    # The outcomes dashboards' period filter: an unsaved copy with a shorter period. The
    # meetings are on 2 March 2026, so a period ending in February has no one trained.
    narrowed = copy.copy(region.programme)
    narrowed.ends_on = datetime.date(2026, 2, 28)
    assert ledger.totals(narrowed) == ledger.Figure(None, 0, 0)
    assert ledger.trained_people(narrowed).count() == 0
    assert ledger.hours_by(narrowed, "municipality") == []
