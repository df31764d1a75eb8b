"""People who join a unit while a recurring round is open are invited automatically."""

import pytest
from django.core import mail
from django.test import override_settings

from modig.organisation.models import Person
from modig.organisation.services import move_unit
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit
from modig.roster import services as roster
from modig.roster.tests.helpers import csv_bytes, rows_ok
from modig.surveys.invitations import invite_if_in_open_recurring_rounds, invite_population
from modig.surveys.messaging import send_pending_invitations
from modig.surveys.models import Invitation, Round
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def recurring(region):
    round_ = make_round(region.programme, kind=Round.Kind.RECURRING)
    round_.units.set([region.vikadamm])
    invite_population(round_)
    send_pending_invitations()
    mail.outbox.clear()
    return round_


def test_a_newcomer_is_invited_to_open_recurring_rounds_only(region, recurring):
    baseline = make_round(region.programme, recurring.questionnaire, name="Nuläge")
    closed = make_round(region.programme, recurring.questionnaire, name="Stängd",
                        kind=Round.Kind.RECURRING, published=False)
    newcomer = PersonFactory(first_name="Ny", email="ny@ale.example")
    EmploymentFactory(person=newcomer, municipality=region.ale, employee_id="A77",
                      units=[region.vikadamm])
    with override_settings(TASKS=IMMEDIATE):
        assert invite_if_in_open_recurring_rounds(newcomer) == 1
    assert Invitation.objects.filter(person=newcomer).get().round == recurring
    assert not Invitation.objects.filter(round__in=[baseline, closed]).exists()
    assert [m.to for m in mail.outbox] == [["ny@ale.example"]]
    # Calling again changes nothing.
    assert invite_if_in_open_recurring_rounds(newcomer) == 0


def test_someone_outside_the_population_is_not_invited(region, recurring):
    assert invite_if_in_open_recurring_rounds(region.cecilia) == 0
    assert not Invitation.objects.filter(person=region.cecilia, round=recurring).exists()


@override_settings(TASKS=IMMEDIATE)
def test_a_committed_staff_list_invites_the_new_people(region, recurring,
                                                       django_capture_on_commit_callbacks):
    before = Invitation.objects.filter(round=recurring).count()
    roster_import = roster.start_import(region.ale, file_name="lista.csv",
                                        content=csv_bytes(rows_ok()))
    roster_import = roster.save_mapping(roster_import, mapping=roster_import.mapping)
    with django_capture_on_commit_callbacks(execute=True):
        roster.request_commit(roster_import)
    asa = Person.objects.get(first_name="Åsa")
    assert Invitation.objects.filter(round=recurring, person=asa).exists()
    assert Invitation.objects.filter(round=recurring).count() == before + 1


@override_settings(TASKS=IMMEDIATE)
def test_a_unit_moved_into_the_round_brings_its_people(region,
                                                        django_capture_on_commit_callbacks):
    round_ = make_round(region.programme, kind=Round.Kind.RECURRING)
    round_.units.set([region.nodinge])
    invite_population(round_)
    hemtjanst = make_unit(region.ale, "Hemtjänst Ale")
    worker = PersonFactory(first_name="Flyttad")
    EmploymentFactory(person=worker, municipality=region.ale, employee_id="A55",
                      units=[hemtjanst])
    assert not Invitation.objects.filter(person=worker).exists()
    with django_capture_on_commit_callbacks(execute=True):
        move_unit(hemtjanst, parent=region.nodinge)
    assert Invitation.objects.filter(person=worker, round=round_).exists()
