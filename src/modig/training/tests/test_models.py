"""Model rules and the catalogue's QuerySets: meeting length, database constraints, who sees
which course and session (training/access.py), search and filters."""

import datetime

import pytest
from django.db import IntegrityError

from conftest import make_user
from modig.accounts.models import Role
from modig.competence.models import Competence
from modig.organisation.models import TargetGroup
from modig.training import access, services
from modig.training.models import Course, Enrolment, Meeting, Session
from modig.training.tests.factories import make_course, make_session, meeting


def test_a_meeting_knows_its_length_in_minutes(region):
    session = make_session(make_course(region.programme),
                           meetings=[meeting("2026-03-02", "08:45", "11:15")])
    assert session.meetings.get().minutes == 150


def test_the_database_refuses_a_meeting_that_ends_before_it_starts(region):
    session = make_session(make_course(region.programme))
    with pytest.raises(IntegrityError):
        Meeting.objects.create(session=session, date=datetime.date(2026, 3, 3),
                               starts_at=datetime.time(10), ends_at=datetime.time(9))


def test_the_database_refuses_two_active_enrolments_of_one_person(region):
    session = make_session(make_course(region.programme))
    Enrolment.objects.create(session=session, person=region.anna, status="enrolled",
                             source="self")
    Enrolment.objects.create(session=session, person=region.anna, status="cancelled",
                             source="self")
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(session=session, person=region.anna, status="waiting",
                                 source="self")


def test_each_session_has_its_own_check_in_secret_not_shown_in_repr(region):
    course = make_course(region.programme)
    first, second = make_session(course), make_session(course)
    assert len(first.check_in_secret) >= 40
    assert first.check_in_secret != second.check_in_secret
    assert first.check_in_secret not in repr(first)


def test_sessions_count_enrolled_and_waiting_people(region):
    session = make_session(make_course(region.programme), capacity=1)
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source="self")
    counted = Session.objects.with_counts().get(pk=session.pk)
    assert (counted.enrolled_count, counted.waiting_count) == (1, 2)


# Who sees which course ------------------------------------------------------------------------

@pytest.fixture
def catalogue(region):
    return {
        "wide": make_course(region.programme, title="För alla"),
        "draft": make_course(region.programme, title="Utkast", is_published=False),
        "ale": make_course(region.programme, title="Ale lokal", municipality=region.ale),
        "ale_draft": make_course(region.programme, title="Ale utkast", municipality=region.ale,
                                 is_published=False),
        "tjorn": make_course(region.programme, title="Tjörn lokal", municipality=region.tjorn),
    }


def _titles(user):
    return set(Course.objects.visible_to(user).values_list("title", flat=True))


def test_the_programme_office_sees_every_course(catalogue, programme_admin):
    assert _titles(programme_admin) == {"För alla", "Utkast", "Ale lokal", "Ale utkast",
                                        "Tjörn lokal"}


def test_a_coordinator_sees_their_municipalitys_drafts_but_not_other_local_courses(
        catalogue, coordinator):
    assert _titles(coordinator) == {"För alla", "Ale lokal", "Ale utkast"}


def test_staff_see_published_courses_for_the_programme_and_their_municipality(
        catalogue, staff_member):
    assert _titles(staff_member) == {"För alla", "Ale lokal"}


def test_a_unit_manager_sees_courses_of_their_units_municipality(catalogue, unit_manager):
    assert _titles(unit_manager) == {"För alla", "Ale lokal"}


def test_a_trainer_sees_published_programme_courses_and_those_they_teach(
        region, catalogue, trainer):
    make_session(catalogue["draft"], trainer=trainer)
    assert _titles(trainer) == {"För alla", "Utkast"}


def test_an_outsider_sees_only_programme_wide_published_courses(catalogue, outsider):
    assert _titles(outsider) == {"För alla"}


def test_who_may_edit_a_course(catalogue, coordinator, tjorn_coordinator, programme_admin):
    assert access.can_edit_course(coordinator, catalogue["ale"])
    assert not access.can_edit_course(coordinator, catalogue["wide"])
    assert not access.can_edit_course(tjorn_coordinator, catalogue["ale"])
    assert access.can_edit_course(programme_admin, catalogue["wide"])


def test_sessions_of_another_municipality_are_hidden(region, catalogue, staff_member, trainer):
    ale = make_session(catalogue["wide"], municipality=region.ale)
    tjorn = make_session(catalogue["wide"], municipality=region.tjorn, trainer=trainer)
    everyone = make_session(catalogue["wide"])
    assert set(Session.objects.visible_to(staff_member)) == {ale, everyone}
    assert tjorn in Session.objects.visible_to(trainer)


def test_participants_are_scoped_to_whom_the_viewer_may_see(region, catalogue, trainer):
    session = make_session(catalogue["wide"], trainer=trainer)
    for person in (region.anna, region.cecilia):
        services.enrol(session, person, by=None, source="self")
    tjorn_manager = make_user("chef@tjorn.example", Role.UNIT_MANAGER, units=[region.solgarden])
    assert access.participants_visible_to(trainer, session).count() == 2
    assert [e.person for e in access.participants_visible_to(tjorn_manager, session)] == [
        region.cecilia]


def test_who_may_enrol_whom(region, staff_member, unit_manager, coordinator, ambassador):
    assert access.enrolment_source(staff_member, region.anna) == Enrolment.Source.SELF
    assert access.enrolment_source(staff_member, region.bertil) is None
    assert access.enrolment_source(unit_manager, region.bertil) == Enrolment.Source.MANAGER
    assert access.enrolment_source(unit_manager, region.cecilia) is None
    assert access.enrolment_source(coordinator, region.dual) == Enrolment.Source.COORDINATOR
    assert access.enrolment_source(ambassador, region.bertil) is None


# Search and filters ---------------------------------------------------------------------------

def test_search_finds_every_word_in_title_or_description(region):
    make_course(region.programme, title="Säker inloggning", description="BankID och lösenord")
    make_course(region.programme, title="Digital dokumentation")
    assert [c.title for c in Course.objects.search("lösenord säker")] == ["Säker inloggning"]
    assert Course.objects.search("").count() == 2


def test_filters_by_format_target_group_competence_and_municipality(region):
    ambassadors = TargetGroup.objects.get(code=TargetGroup.Code.AMBASSADOR)
    competence = Competence.objects.first()
    train_the_trainer = make_course(region.programme, title="Handledarutbildning",
                                    format=Course.Format.REMOTE_LIVE,
                                    target_groups=[ambassadors], competences=[competence])
    local = make_course(region.programme, title="Lokal", municipality=region.tjorn)
    courses = Course.objects.all()
    assert list(courses.with_format(Course.Format.REMOTE_LIVE)) == [train_the_trainer]
    assert list(courses.for_target_group(ambassadors)) == [train_the_trainer]
    assert list(courses.for_competence(competence)) == [train_the_trainer]
    assert set(courses.for_municipality(region.ale)) == {train_the_trainer}
    assert set(courses.for_municipality(region.tjorn)) == {train_the_trainer, local}
