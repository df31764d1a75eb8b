"""Group formation (training/grouping.py): a small region whose scores are known, so the
groups can be predicted — who gets extra support, which colleagues stay together, which
session each group gets, and what confirmation enrols."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modig.organisation.models import Employment, Occupation
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit
from modig.surveys.models import Round
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import rating_items, submit
from modig.training import grouping, services
from modig.training.models import Enrolment, ProposalMember, Session
from modig.training.tests.factories import make_course, make_session, meeting

pytestmark = pytest.mark.django_db

Band = ProposalMember.Band
SMALL, REGULAR = Session.GroupLevel.SMALL_GROUP, Session.GroupLevel.REGULAR


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


class Scene:
    """Ale's staff with known baseline scores on the course's items (other items are rated 3,
    so a mean over all items differs from the course's mean)."""

    def __init__(self, region):
        self.region = region
        self.round = make_round(region.programme, make_questionnaire())
        self.items = rating_items(self.round)
        self.course_items = self.items[:2]
        self.course = make_course(region.programme, title="Digital dokumentation",
                                  competences=[i.competence for i in self.course_items])
        nodinge = region.nodinge
        self.units = {"Backa": make_unit(region.ale, "Backa", parent=nodinge),
                      "Klövern": make_unit(region.ale, "Klövern", parent=nodinge),
                      "Vikadamm": region.vikadamm}
        self.people = {}

    def person(self, name: str, unit: str, score: float | None = None, *, others: int = 3,
               municipality=None, occupation=None):
        person = PersonFactory(first_name=name, last_name="Test")
        EmploymentFactory(person=person, municipality=municipality or self.region.ale,
                          units=[self.units[unit]] if unit else [],
                          **({"occupation": occupation} if occupation else {}))
        if score is not None:
            self.answer(person, score, others=others, unit=unit)
        self.people[name] = person
        return person

    def without_vikadamm_staff(self, keep=None):
        """The region's Anna, Bertil and Dana leave (their employments end), but `keep`."""
        for person in (self.region.anna, self.region.bertil, self.region.dual):
            if person != keep:
                person.employments.update(is_active=False)

    def answer(self, person, score: int, *, others: int = 3, unit: str | None = None):
        values = {item.pk: others for item in self.items}
        values.update({item.pk: score for item in self.course_items})
        submit(self.round, municipality=self.region.ale,
               unit=self.units.get(unit) if unit else None, values=values,
               respondent_key=person.pseudonym)

    def propose(self, **options):
        options.setdefault("survey_round", self.round)
        options.setdefault("municipality", self.region.ale)
        return grouping.propose_groups(self.course, by=None, **options)

    def names(self, group) -> set[str]:
        return {m.person.first_name for m in group.members.select_related("person")}


@pytest.fixture
def scene(region):
    return Scene(region)


def groups_of(proposal):
    return list(proposal.groups.order_by("number"))


def name_sets(scene, proposal):
    return [scene.names(g) for g in groups_of(proposal)]


# Bands and group sizes ------------------------------------------------------------------------

def test_the_lowest_share_goes_to_small_groups_and_the_rest_to_regular(scene):
    scene.without_vikadamm_staff()
    for name, score in [("Ada", 1), ("Bo", 1), ("Cia", 2), ("Dag", 3), ("Eva", 3),
                        ("Fia", 4), ("Gun", 4), ("Hans", 5)]:
        scene.person(name, "Backa", score)
    scene.person("Ivar", "Backa")  # no response: no baseline
    proposal = scene.propose(support_share=25, small_group_size=6, regular_group_size=15)
    groups = groups_of(proposal)
    assert [g.level for g in groups] == [SMALL, REGULAR]
    assert scene.names(groups[0]) == {"Ada", "Bo"}  # 25 % of 8 scored = 2
    assert scene.names(groups[1]) == {"Cia", "Dag", "Eva", "Fia", "Gun", "Hans", "Ivar"}
    bands = dict(proposal.members.values_list("person__first_name", "band"))
    assert bands["Ada"] == Band.EXTRA_SUPPORT
    assert bands["Cia"] == Band.REGULAR
    assert bands["Ivar"] == Band.NO_BASELINE


def test_a_share_is_rounded_up_and_ties_at_the_limit_go_in_together(scene):
    scene.without_vikadamm_staff()
    for name, score in [("Ada", 1), ("Bo", 2), ("Cia", 2), ("Dag", 4), ("Eva", 5)]:
        scene.person(name, "Backa", score)
    proposal = scene.propose(support_share=30)  # 30 % of 5 = 1.5 → 2 → Bo, and Cia ties
    small = proposal.groups.get(level=SMALL)
    assert scene.names(small) == {"Ada", "Bo", "Cia"}


def test_a_score_limit_instead_of_a_share(scene):
    scene.without_vikadamm_staff()
    for name, score in [("Ada", 1), ("Bo", 2), ("Cia", 3), ("Dag", 4)]:
        scene.person(name, "Backa", score)
    proposal = scene.propose(support_rule="threshold", support_threshold=2)
    assert scene.names(proposal.groups.get(level=SMALL)) == {"Ada", "Bo"}
    assert proposal.support_share is None


def test_small_groups_are_as_many_as_the_size_needs(scene):
    scene.without_vikadamm_staff()
    for index in range(7):
        scene.person(f"Låg{index}", "Backa", 1)
    for index in range(3):
        scene.person(f"Hög{index}", "Backa", 5)
    proposal = scene.propose(support_share=70, small_group_size=4)
    small = [g for g in groups_of(proposal) if g.level == SMALL]
    assert sorted(g.members.count() for g in small) == [3, 4]  # 7 people, groups of 4


def test_people_without_a_baseline_can_go_to_small_groups(scene):
    scene.without_vikadamm_staff()
    scene.person("Ada", "Backa", 1)
    scene.person("Bo", "Backa", 4)
    scene.person("Ivar", "Backa")
    proposal = scene.propose(support_share=50, no_baseline_in_small_groups=True)
    assert scene.names(proposal.groups.get(level=SMALL)) == {"Ada", "Ivar"}


def test_scores_use_the_course_items_and_all_items_when_the_course_has_none(scene, region):
    scene.without_vikadamm_staff()
    # Ada: low on the course's items, high elsewhere; Bo the other way round.
    scene.person("Ada", "Backa", 1, others=5)
    scene.person("Bo", "Backa", 2, others=1)
    proposal = scene.propose(support_share=50)
    assert scene.names(proposal.groups.get(level=SMALL)) == {"Ada"}
    assert proposal.scored_on_all_items is False
    scene.course = make_course(region.programme, title="Allmän kurs")  # no competences
    proposal = scene.propose(support_share=50)
    assert scene.names(proposal.groups.get(level=SMALL)) == {"Bo"}
    assert proposal.scored_on_all_items is True


def test_no_score_is_stored_only_the_band(scene):
    scene.without_vikadamm_staff()
    scene.person("Ada", "Backa", 1)
    proposal = scene.propose()
    fields = {f.name for f in ProposalMember._meta.get_fields()}
    assert not fields & {"mean", "score"}
    assert proposal.members.get().band == Band.EXTRA_SUPPORT


# Who is in the population ---------------------------------------------------------------------

def test_population_is_the_municipality_and_the_chosen_units_occupations(scene, region):
    scene.person("Ada", "Backa", 2)
    scene.person("Bo", "Klövern", 2)
    scene.person("Tora", None, 2, municipality=region.tjorn)
    proposal = scene.propose()
    names = {m.person.first_name for m in proposal.members.select_related("person")}
    # Anna, Bertil and Dana work at Vikadamm in Ale (Dana also in Tjörn); Cecilia only in Tjörn.
    assert names == {"Ada", "Bo", "Anna", "Bertil", "Dana"}
    proposal = scene.propose(units=[scene.units["Backa"]])
    assert {m.person.first_name for m in proposal.members.select_related("person")} == {"Ada"}
    assistant = Occupation.objects.exclude(ssyk_code="5321").first()
    scene.person("Cleo", "Klövern", 2, occupation=assistant)
    proposal = scene.propose(occupations=[assistant])
    assert {m.person.first_name for m in proposal.members.select_related("person")} == {"Cleo"}


def test_people_already_on_the_course_are_left_out_and_counted(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(20))])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    proposal = scene.propose()
    assert not proposal.members.filter(person=region.anna).exists()
    assert proposal.already_enrolled == 1


def test_a_unit_in_another_municipality_is_refused(scene, region):
    with pytest.raises(ValidationError) as error:
        scene.propose(units=[region.solgarden])
    assert error.value.error_dict["units"][0].code == "unit_elsewhere"


def test_an_anonymous_round_is_refused_and_nothing_is_saved(scene, region):
    anonymous = make_round(region.programme, scene.round.questionnaire,
                           anonymity=Round.Anonymity.ANONYMOUS)
    with pytest.raises(ValidationError) as error:
        scene.propose(survey_round=anonymous)
    assert error.value.error_dict["survey_round"][0].code == "anonymous_round"
    assert not scene.course.group_proposals.exists()


# Colleagues together --------------------------------------------------------------------------

def test_colleagues_of_a_unit_are_kept_together_when_groups_have_room(scene, region):
    scene.units["Ek"] = make_unit(region.ale, "Ek", parent=region.nodinge)
    people = [("Backa", 3), ("Klövern", 2), ("Ek", 3), ("Vikadamm", 2)]
    for unit, count in people:
        for index in range(count):
            scene.person(f"{unit}{index}", unit, 4)
    scene.without_vikadamm_staff()
    proposal = scene.propose(support_share=0, small_group_size=2, regular_group_size=5)
    groups = name_sets(scene, proposal)
    assert len(groups) == 2 and sorted(len(g) for g in groups) == [5, 5]
    for unit, count in people:
        colleagues = {f"{unit}{index}" for index in range(count)}
        assert any(colleagues <= group for group in groups), unit


def test_a_unit_larger_than_a_group_is_cut_into_even_parts(scene, region):
    scene.without_vikadamm_staff()
    for index in range(7):
        scene.person(f"Backa{index}", "Backa", 4)
    proposal = scene.propose(support_share=0, small_group_size=2, regular_group_size=5)
    assert sorted(g.members.count() for g in groups_of(proposal)) == [3, 4]


def test_forming_groups_never_exceeds_the_size():
    candidates = [grouping.Candidate(person_id=i, sort_name=(str(i),), pseudonym=None,
                                     unit_id=i % 4 + 1, unit_name=f"U{i % 4}", mean=3.0,
                                     band=Band.REGULAR) for i in range(37)]
    groups = grouping.form_groups(candidates, 6)
    assert len(groups) == 7  # ceil(37 / 6)
    assert max(len(g) for g in groups) <= 6
    assert sorted(c.person_id for g in groups for c in g) == list(range(37))


# Sessions -------------------------------------------------------------------------------------

def test_groups_go_to_sessions_of_their_level_with_room_for_the_whole_group(scene, region):
    for name, score in [("Ada", 1), ("Bo", 1), ("Cia", 4), ("Dag", 4), ("Eva", 4)]:
        scene.person(name, "Backa", score)
    scene.without_vikadamm_staff()
    course = scene.course
    small = make_session(course, meetings=[meeting(day(30))], capacity=6,
                         group_level=SMALL, municipality=region.ale)
    make_session(course, meetings=[meeting(day(10))], capacity=2, municipality=region.ale)
    roomy = make_session(course, meetings=[meeting(day(20))], capacity=15,
                         municipality=region.ale)
    proposal = scene.propose(support_share=40)
    placed = {g.level: g.session for g in groups_of(proposal)}
    assert placed[SMALL] == small  # not the earlier regular sessions
    assert placed[REGULAR] == roomy  # the earliest has 2 places for a group of 3


def test_a_session_with_too_few_free_places_is_passed_over(scene, region):
    scene.without_vikadamm_staff()
    for name in ("Ada", "Bo", "Cia"):
        scene.person(name, "Backa", 4)
    soon = make_session(scene.course, meetings=[meeting(day(10))], capacity=4,
                        municipality=region.ale)
    later = make_session(scene.course, meetings=[meeting(day(15))], capacity=15,
                         municipality=region.ale)
    olle = PersonFactory(first_name="Olle", last_name="Annan")
    EmploymentFactory(person=olle, municipality=region.ale, units=[region.vikadamm])
    services.enrol(soon, olle, by=None, source=Enrolment.Source.COORDINATOR)
    backa = [scene.units["Backa"]]
    # 4 places, Olle has one: 3 free fit Ada, Bo and Cia exactly.
    assert groups_of(scene.propose(support_share=0, units=backa))[0].session == soon
    scene.person("Dag", "Backa", 4)
    assert groups_of(scene.propose(support_share=0, units=backa))[0].session == later


def test_the_municipality_s_own_sessions_are_tried_before_programme_wide_ones(scene, region):
    programme_wide = make_session(scene.course, meetings=[meeting(day(5))])
    own = make_session(scene.course, meetings=[meeting(day(25))], municipality=region.ale)
    proposal = scene.propose(support_share=0)
    assert groups_of(proposal)[0].session == own
    assert programme_wide.municipality is None


def test_a_group_whose_member_is_booked_at_the_same_time_goes_elsewhere(scene, region):
    scene.without_vikadamm_staff(keep=region.anna)
    first = make_session(scene.course, meetings=[meeting(day(10), "09:00", "11:00")])
    second = make_session(scene.course, meetings=[meeting(day(11), "09:00", "11:00")])
    elsewhere = make_session(make_course(region.programme, title="Annan kurs"),
                             meetings=[meeting(day(10), "10:00", "12:00")])
    services.enrol(elsewhere, region.anna, by=None, source=Enrolment.Source.SELF)
    proposal = scene.propose(support_share=0)
    (group,) = groups_of(proposal)
    assert scene.names(group) == {"Anna"}
    assert group.session == second
    assert first.pk != second.pk


def test_sessions_elsewhere_started_or_cancelled_are_not_used(scene, region):
    scene.without_vikadamm_staff(keep=region.anna)
    make_session(scene.course, meetings=[meeting(day(10))], municipality=region.tjorn)
    make_session(scene.course, meetings=[meeting(day(-1)), meeting(day(10))])
    cancelled = make_session(scene.course, meetings=[meeting(day(12))])
    services.cancel_session(cancelled, by=None)
    make_session(scene.course, meetings=[meeting(day(14))], group_level=SMALL)
    proposal = scene.propose(support_share=0)
    assert groups_of(proposal)[0].session is None  # needs a session
    programme_wide = make_session(scene.course, meetings=[meeting(day(16))])
    assert grouping.place_groups(proposal) == 1
    assert groups_of(proposal)[0].session == programme_wide


def test_each_session_takes_one_group_of_the_proposal(scene, region):
    scene.without_vikadamm_staff()
    for index in range(4):
        scene.person(f"Backa{index}", "Backa", 4)
    only = make_session(scene.course, meetings=[meeting(day(10))], capacity=30)
    proposal = scene.propose(support_share=0, small_group_size=2, regular_group_size=2)
    sessions = [g.session for g in groups_of(proposal)]
    assert sessions.count(only) == 1 and sessions.count(None) == 1


# Adjusting ------------------------------------------------------------------------------------

def test_moving_and_taking_out_people_is_stored_and_empty_groups_go(scene, region):
    scene.person("Ada", "Backa", 1)
    scene.person("Bo", "Backa", 5)
    proposal = scene.propose(support_share=50)
    small, regular = groups_of(proposal)
    ada = proposal.members.get(person__first_name="Ada")
    grouping.move_member(ada, to=regular, by=None)
    assert not proposal.groups.filter(pk=small.pk).exists()  # left empty
    assert "Ada" in scene.names(regular)
    grouping.move_member(ada, to=grouping.NEW_SMALL_GROUP, by=None)
    ada.refresh_from_db()
    assert ada.group.level == SMALL and ada.group.number == 3
    grouping.move_member(ada, to=None, by=None)
    ada.refresh_from_db()
    assert ada.group is None and ada.band == Band.EXTRA_SUPPORT


def test_a_group_of_another_proposal_is_refused(scene):
    scene.person("Ada", "Backa", 1)
    first, second = scene.propose(), scene.propose()
    member = first.members.get(person__first_name="Ada")
    with pytest.raises(ValidationError) as error:
        grouping.move_member(member, to=groups_of(second)[0], by=None)
    assert error.value.code == "other_group"


def test_choosing_a_session_of_the_wrong_level_is_refused(scene, region):
    proposal = scene.propose(support_share=0)
    small_session = make_session(scene.course, meetings=[meeting(day(10))], group_level=SMALL)
    regular_group = groups_of(proposal)[0]
    with pytest.raises(ValidationError):
        grouping.choose_session(regular_group, session=small_session, by=None)
    regular_session = make_session(scene.course, meetings=[meeting(day(11))])
    grouping.choose_session(regular_group, session=regular_session, by=None)
    regular_group.refresh_from_db()
    assert regular_group.session == regular_session


def test_the_page_view_warns_about_clashes_and_too_few_places(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(10))], capacity=3)
    proposal = scene.propose(support_share=0)  # Anna, Bertil, Dana fit in 3 places
    (group,) = groups_of(proposal)
    assert group.session == session
    clash = make_session(make_course(region.programme, title="Krock"),
                         meetings=[meeting(day(10))])
    services.enrol(clash, region.bertil, by=None, source=Enrolment.Source.SELF)
    scene.person("Ada", "Vikadamm", 4)
    extra = scene.propose(support_share=0, units=[scene.units["Backa"]])  # another proposal
    assert extra.members.count() == 0
    ada = ProposalMember.objects.create(proposal=proposal, group=group,
                                        person=scene.people["Ada"], band=Band.REGULAR)
    view = grouping.proposal_view(proposal)
    (shown,) = view.groups
    assert [m.person.first_name for m in shown.clashes] == ["Bertil"]
    assert shown.free_places == 3 and shown.over_capacity
    assert ada in shown.members


# Confirmation ---------------------------------------------------------------------------------

def test_nothing_is_enrolled_before_confirmation_and_confirming_twice_enrols_once(scene,
                                                                                  region):
    session = make_session(scene.course, meetings=[meeting(day(10))])
    proposal = scene.propose(support_share=0)
    assert not Enrolment.objects.exists()
    assert grouping.confirm_proposal(proposal, by=None) is True
    enrolled = set(Enrolment.objects.filter(session=session).values_list("person", flat=True))
    assert enrolled == {region.anna.pk, region.bertil.pk, region.dual.pk}
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"group_formation"}
    assert grouping.confirm_proposal(proposal, by=None) is False
    assert Enrolment.objects.count() == 3
    outcomes = set(proposal.members.values_list("outcome", flat=True))
    assert outcomes == {ProposalMember.Outcome.ENROLLED}
    with pytest.raises(ValidationError):
        grouping.move_member(proposal.members.first(), to=None, by=None)


def test_confirmation_reports_a_clash_booked_after_the_proposal(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(10), "09:00", "11:00")])
    proposal = scene.propose(support_share=0)
    elsewhere = make_session(make_course(region.programme, title="Annan kurs"),
                             meetings=[meeting(day(10), "10:00", "12:00")])
    services.enrol(elsewhere, region.anna, by=None, source=Enrolment.Source.SELF)
    grouping.confirm_proposal(proposal, by=None)
    anna = proposal.members.get(person=region.anna)
    assert anna.outcome == ProposalMember.Outcome.REFUSED
    assert "Anna Andersson" in anna.outcome_message and "Annan kurs" in anna.outcome_message
    assert not session.enrolments.filter(person=region.anna).exists()
    assert session.enrolments.count() == 2


def test_confirmation_reports_groups_without_a_session_and_the_waiting_list(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(10))], capacity=3)
    scene.person("Ada", "Backa", 1)
    proposal = scene.propose(support_share=25)  # Ada: small group, no small-group session
    regular = proposal.groups.get(level=REGULAR)
    assert regular.session == session
    other = PersonFactory(first_name="Olle", last_name="Först")
    EmploymentFactory(person=other, municipality=region.ale, units=[region.vikadamm])
    services.enrol(session, other, by=None, source=Enrolment.Source.SELF)  # 2 places left
    grouping.confirm_proposal(proposal, by=None)
    outcomes = dict(proposal.members.values_list("person__first_name", "outcome"))
    assert outcomes["Ada"] == ProposalMember.Outcome.REFUSED
    assert sorted(outcomes[n] for n in ("Anna", "Bertil", "Dana")) == [
        ProposalMember.Outcome.ENROLLED, ProposalMember.Outcome.ENROLLED,
        ProposalMember.Outcome.WAITING]
    assert session.enrolments.enrolled().count() == 3
    waiting = proposal.members.get(outcome=ProposalMember.Outcome.WAITING)
    assert session.enrolments.waiting().get().person == waiting.person


def test_confirmation_refuses_as_enrol_does(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(10))], capacity=15)
    for n in range(8):
        scene.person(f"Extra{n}", "Backa", 4)
    proposal = scene.propose(support_share=0)
    members = proposal.members.filter(group__isnull=False)
    assert members.count() == 11
    Employment.objects.filter(person=region.bertil).update(is_active=False)
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    # The session is for Ale's staff; Extra0 has moved to Tjörn since the proposal.
    session.municipality = region.ale
    session.save(update_fields=["municipality"])
    Employment.objects.filter(person=scene.people["Extra0"]).update(municipality=region.tjorn)
    grouping.confirm_proposal(proposal, by=None)
    outcomes = dict(proposal.members.values_list("person__first_name", "outcome_message"))
    assert "redan" in outcomes["Anna"]  # already enrolled
    assert "ingen aktiv anställning" in outcomes["Bertil"]
    assert "Ale" in outcomes["Extra0"]
    assert outcomes["Dana"] == "" and outcomes["Extra1"] == ""
    assert set(session.enrolments.filter(source="group_formation")
               .values_list("person__first_name", flat=True)) == {
        "Dana", *(f"Extra{n}" for n in range(1, 8))}

def test_confirmation_takes_queries_per_session_not_per_person(scene, region):
    session = make_session(scene.course, meetings=[meeting(day(10))], capacity=15)
    for n in range(8):
        scene.person(f"Extra{n}", "Backa", 4)
    proposal = scene.propose(support_share=0)
    with CaptureQueriesContext(connection) as queries:
        grouping.confirm_proposal(proposal, by=None)
    # Through services.enrol it was about seven per person (77 for these 11).
    assert len(queries) < 20
    assert session.enrolments.enrolled().count() == 11


def test_confirmation_queues_one_confirmation_job_per_session(
        scene, region, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    session = make_session(scene.course, meetings=[meeting(day(10))])
    proposal = scene.propose(support_share=0)
    with django_capture_on_commit_callbacks(execute=True):
        grouping.confirm_proposal(proposal, by=None)
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_enrolment_confirmations")
    assert sorted(task.args_kwargs["args"][0]) == sorted(
        session.enrolments.values_list("pk", flat=True))
