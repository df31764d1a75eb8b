"""Coaching in the training ledger: named participants get the minutes, counted ones do not,
and people are counted once across coaching and courses."""

import datetime

from modig.ambassadors import services
from modig.ambassadors.ledger_source import COACHING
from modig.ambassadors.models import CoachingActivity
from modig.ambassadors.tests.factories import entry, make_ambassador
from modig.organisation.services import merge_people
from modig.training import ledger
from modig.training import services as training_services
from modig.training.tests.factories import make_course, make_session, meeting


def test_named_participants_get_the_minutes_and_counted_ones_none(region):
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.anna, region.bertil],
                                             minutes=30, counted_participants=4))
    services.log_coaching(appointment, entry(region, participants=[], counted_participants=12,
                                             minutes=60))
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (2, 60)


def test_a_person_coached_and_trained_is_counted_once(region):
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.anna], minutes=45))
    services.log_coaching(appointment, entry(region, participants=[region.anna], minutes=15))
    session = make_session(make_course(region.programme),
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    training_services.enrol(session, region.anna, by=None, source="self")
    training_services.record_attendance(session.meetings.get(), region.anna,
                                        status="present", minutes=None, by=None,
                                        source="roll_call")
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (1, 45 + 15 + 120)
    kinds = [e["entry_kind"] for e in ledger.person_history(region.anna, region.programme)]
    assert sorted(kinds) == ["attendance", COACHING, COACHING]


def test_coaching_outside_the_programme_period_or_municipalities_does_not_count(region):
    _, appointment = make_ambassador(region, starts_on=datetime.date(2024, 1, 1))
    services.log_coaching(appointment, entry(region, date=datetime.date(2024, 6, 1)))
    assert ledger.totals(region.programme).people == 0
    region.programme.municipalities.remove(region.ale)
    services.log_coaching(appointment, entry(region))
    assert ledger.totals(region.programme).people == 0


def test_coaching_is_in_the_breakdowns_by_municipality(region):
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.dual], minutes=20))
    rows = {f.key: f for f in ledger.hours_by(region.programme, "municipality")}
    assert {key: (f.people, f.minutes) for key, f in rows.items()} == {
        region.ale.pk: (1, 20), region.tjorn.pk: (1, 20)}


def test_coaching_shows_in_the_persons_own_learning_history(region):
    from modig.training import records

    make_course(region.programme)  # the history lists programmes that have courses
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.anna], minutes=30,
                                             topic_text="Läkemedelsappen"))
    other = records.person_records(region.anna).other
    assert [(e.title, e.minutes, e.kind) for e in other] == [("Läkemedelsappen", 30, COACHING)]


def test_coaching_after_a_snapshot_makes_it_stale_so_figures_stay_exact(region):
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.anna], minutes=30))
    ledger.rebuild(region.programme)
    assert ledger.totals(region.programme).minutes == 30
    services.log_coaching(appointment, entry(region, participants=[region.bertil], minutes=45))
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (2, 75)
    ledger.rebuild(region.programme)
    activity = CoachingActivity.objects.filter(appointment=appointment).order_by("pk").last()
    activity.minutes = 15
    activity.save()
    assert ledger.totals(region.programme).minutes == 45


def test_merging_people_after_a_snapshot_keeps_coaching_figures_exact(region):
    _, appointment = make_ambassador(region)
    services.log_coaching(appointment, entry(region, participants=[region.anna], minutes=30))
    services.log_coaching(appointment, entry(region, participants=[region.bertil], minutes=20))
    ledger.rebuild(region.programme)
    assert ledger.totals(region.programme).people == 2
    merge_people(region.anna, duplicate=region.bertil)
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (1, 50)
