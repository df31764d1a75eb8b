"""Introductions: who gets a learning need, which units get a task, coverage, newcomers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from modig.learning import queries, services
from modig.learning.models import LearningNeed, LearningTask, Technology, TechnologyIntroduction
from modig.learning.tests.helpers import GO_LIVE, alarm, digcomp, introduce, staff
from modig.organisation.models import Employment, Occupation
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit
from modig.training import services as training
from modig.training.models import Course
from modig.training.tests.factories import make_course


def needs_of(introduction):
    return set(introduction.needs.values_list("person__first_name", flat=True))


def test_the_catalogue_is_loaded_with_competences(db):
    assert Technology.objects.count() == 13
    assert not Technology.objects.filter(competences__isnull=True).exists()
    assert set(alarm().competences.values_list("code", flat=True)) == {"5.1", "4.2", "4.3", "2.1"}


def test_a_unit_introduction_reaches_the_staff_below_it(region):
    introduction = introduce(region, unit=region.nodinge)
    assert needs_of(introduction) == {"Anna", "Bertil", region.dual.first_name}
    # One task, for the unit where they work (Vikadamm), due on go-live.
    task, = introduction.tasks.all()
    assert (task.unit, task.kind, task.due_on) == (region.vikadamm, "introduce", GO_LIVE)
    with translation.override("sv"):
        assert task.title == "Introducera Digitalt trygghetslarm i hemmet för personalen"


def test_a_municipality_introduction_reaches_everyone_there_and_no_one_else(region):
    introduction = introduce(region, municipality=region.tjorn)
    assert needs_of(introduction) == {"Cecilia", region.dual.first_name}
    assert introduction.needs.get(person=region.dual).unit == region.solgarden


def test_occupations_narrow_and_ended_employments_are_left_out(region):
    nurse = Occupation.objects.get(ssyk_code="2221")
    Employment.objects.filter(person=region.bertil).update(occupation=nurse)
    Employment.objects.filter(person=region.anna).update(is_active=False)
    introduction = introduce(region, unit=region.vikadamm, occupations=[nurse])
    assert needs_of(introduction) == {"Bertil"}


def test_no_affected_staff_means_no_needs_and_no_tasks(region):
    empty = make_unit(region.ale, "Tom enhet", parent=region.nodinge)
    introduction = introduce(region, unit=empty)
    assert not introduction.needs.exists() and not introduction.tasks.exists()


def test_a_unit_of_another_municipality_is_refused_and_nothing_is_saved(region):
    with pytest.raises(ValidationError) as error:
        introduce(region, unit=region.solgarden, municipality=region.ale)
    assert "unit" in error.value.error_dict
    assert not TechnologyIntroduction.objects.exists()


def test_the_same_introduction_twice_is_refused(region):
    introduce(region, unit=region.vikadamm)
    with pytest.raises(ValidationError) as error:
        introduce(region, unit=region.vikadamm)
    assert error.value.code == "duplicate"
    assert TechnologyIntroduction.objects.count() == 1
    assert LearningNeed.objects.count() == 3


def test_syncing_again_creates_nothing(region):
    introduction = introduce(region, unit=region.nodinge)
    assert services.sync_introduction(introduction) == (0, 0)


def test_open_tasks_and_needs_for_units_are_what_the_ambassador_reads(region):
    introduction = introduce(region, unit=region.nodinge)
    introduce(region, municipality=region.tjorn)
    tasks = queries.open_tasks_for_units([region.vikadamm])
    assert [t.unit for t in tasks] == [region.vikadamm]
    needs = queries.open_needs_for_units([region.nodinge])
    assert {n.person.first_name for n in needs} == needs_of(introduction)
    services.mark_task_done(tasks[0])
    services.mark_need_met(needs[0])
    assert not queries.open_tasks_for_units([region.vikadamm]).exists()
    assert queries.open_needs_for_units([region.nodinge]).count() == 2


def test_a_task_marked_done_twice_keeps_its_first_date(region):
    task = introduce(region, unit=region.vikadamm).tasks.get()
    services.mark_task_done(task, on=datetime.date(2026, 9, 2))
    services.mark_task_done(task, on=datetime.date(2026, 9, 5))
    assert task.done_on == datetime.date(2026, 9, 2)


# Coverage ---------------------------------------------------------------------------------------

@pytest.fixture
def big_unit(region):
    unit = make_unit(region.ale, "Backa hemtjänst", parent=region.nodinge)
    return unit, staff(region.ale, unit, 10)


def _complete(course, person, day):
    training.complete_distance_course(course, person, completed_on=day, by=None,
                                      confirmed_as="self")


def test_coverage_counts_courses_teaching_its_competences_and_needs_met(region, big_unit):
    unit, people = big_unit
    course = make_course(region.programme, title="Larm", format=Course.Format.SELF_PACED,
                         competences=[digcomp("5.1")])
    unrelated = make_course(region.programme, title="Upphovsrätt",
                            format=Course.Format.SELF_PACED, competences=[digcomp("3.3")])
    introduction = introduce(region, unit=unit)
    for person in people[:5]:
        _complete(course, person, datetime.date(2026, 8, 1))  # before go-live
    _complete(course, people[5], datetime.date(2026, 10, 1))  # after
    _complete(unrelated, people[6], datetime.date(2026, 8, 1))  # does not count
    services.mark_need_met(introduction.needs.get(person=people[7]),
                           on=datetime.date(2026, 9, 10))
    result = queries.coverage(introduction)
    assert result.affected == 10
    # Before: 5 trained, 5 not. Now: 7 trained, 3 not (a small group: both hidden).
    assert (result.trained_before, result.share_before) == (5, 50)
    assert result.trained_now is None and result.share_now is None


def test_coverage_of_a_small_group_is_hidden(region):
    introduction = introduce(region, unit=region.vikadamm)
    result = queries.coverage(introduction)
    assert (result.affected, result.trained_before, result.trained_now) == (None, None, None)


def test_coverage_when_everyone_is_trained(region, big_unit):
    unit, _people = big_unit
    introduction = introduce(region, unit=unit)
    for need in introduction.needs.all():
        services.mark_need_met(need, on=datetime.date(2026, 8, 1))
    result = queries.coverage(introduction)
    assert (result.affected, result.trained_before, result.share_now) == (10, 10, 100)


# Newcomers --------------------------------------------------------------------------------------

def test_a_newcomer_gets_the_units_open_needs_and_an_introduction_task(region):
    introduction = introduce(region, unit=region.nodinge, go_live_on=datetime.date(2099, 1, 1))
    person = PersonFactory(first_name="Ny", last_name="Kollega")
    employment = EmploymentFactory(person=person, municipality=region.ale, employee_id="N1",
                                   units=[region.vikadamm])
    assert services.welcome_newcomers([employment.pk]) == 1
    assert introduction.needs.filter(person=person, unit=region.vikadamm).exists()
    task = introduction.tasks.get(kind=LearningTask.Kind.NEWCOMER)
    assert (task.unit, task.person) == (region.vikadamm, person)
    # Again (a second import of the same roster): nothing more.
    assert services.welcome_newcomers([employment.pk]) == 0
    assert introduction.tasks.filter(kind=LearningTask.Kind.NEWCOMER).count() == 1


def test_a_newcomer_gets_nothing_from_a_finished_introduction(region):
    introduction = introduce(region, unit=region.vikadamm, go_live_on=datetime.date(2020, 1, 1))
    for need in introduction.needs.all():
        services.mark_need_met(need)
    employment = EmploymentFactory(municipality=region.ale, employee_id="N2",
                                   units=[region.vikadamm])
    assert services.welcome_newcomers([employment.pk]) == 0


def test_a_roster_import_welcomes_newcomers_after_it_commits(region,
                                                             django_capture_on_commit_callbacks):
    from modig.roster import services as roster
    from modig.roster.tests.helpers import csv_bytes, rows_ok

    introduction = introduce(region, unit=region.vikadamm, go_live_on=datetime.date(2099, 1, 1))
    roster_import = roster.start_import(region.ale, file_name="lista.csv",
                                        content=csv_bytes(rows_ok()))
    roster_import = roster.save_mapping(roster_import, mapping=roster_import.mapping)
    with django_capture_on_commit_callbacks(execute=True):
        roster.request_commit(roster_import)
    assert introduction.needs.filter(person__first_name="Åsa").exists()
    assert introduction.tasks.filter(kind="newcomer", person__first_name="Åsa").exists()
