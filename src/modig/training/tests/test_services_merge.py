"""Merging two person records (organisation.services.merge_people) keeps every training
record: the duplicate's places, attendance, completions and certifications move to the kept
person; where both hold the same thing the fuller one stays."""

import datetime

from modig.organisation.services import merge_people
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import ledger, services
from modig.training.models import (
    Attendance,
    Course,
    DistanceCompletion,
    Enrolment,
)
from modig.training.tests.factories import make_course, make_session, meeting


def _twin(region):
    twin = PersonFactory(first_name="Anna", last_name="Andersson")
    EmploymentFactory(person=twin, municipality=region.ale, units=[region.vikadamm])
    return twin


def test_a_merge_moves_places_attendance_and_completions(region):
    twin = _twin(region)
    session = make_session(make_course(region.programme),
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    services.enrol(session, twin, by=None, source="self")
    services.record_attendance(session.meetings.get(), twin, status="present", by=None,
                               source="manual")
    apps = make_course(region.programme, format=Course.Format.SELF_PACED, nominal_minutes=45)
    services.complete_distance_course(apps, twin, completed_on=datetime.date(2026, 4, 1),
                                      by=None, confirmed_as="self")
    merge_people(region.anna, duplicate=twin)
    assert Enrolment.objects.get().person == region.anna
    assert Attendance.objects.get().person == region.anna
    assert DistanceCompletion.objects.get().person == region.anna
    assert ledger.minutes_by_person(region.programme) == {region.anna.pk: 165}


def test_where_both_records_hold_a_place_one_place_stays_and_the_line_moves_up(region):
    twin = _twin(region)
    session = make_session(make_course(region.programme), capacity=2,
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    services.enrol(session, region.anna, by=None, source="self")
    services.enrol(session, twin, by=None, source="self")
    services.enrol(session, region.bertil, by=None, source="self")  # waits
    services.record_attendance(session.meetings.get(), region.anna, status="partial",
                               minutes=30, by=None, source="manual")
    services.record_attendance(session.meetings.get(), twin, status="present", by=None,
                               source="manual")
    merge_people(region.anna, duplicate=twin)
    active = dict(session.enrolments.active().values_list("person", "status"))
    assert active == {region.anna.pk: "enrolled", region.bertil.pk: "enrolled"}
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.minutes) == (region.anna, 120)
