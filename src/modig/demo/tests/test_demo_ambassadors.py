"""The demo's ambassadors: an appointment each, in line with their role, and two years of
coaching that obeys the coaching log's rules."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment
from modig.ambassadors import queries
from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.organisation.models import Employment, Municipality, Programme


@pytest.fixture
def demo(db):
    call_command("demo", "--scale", "0.1", "--no-surveys", stdout=StringIO())


def test_every_ambassador_has_an_appointment_matching_their_role(demo):
    assignments = RoleAssignment.objects.filter(role=Role.AMBASSADOR, user__person__isnull=False)
    assert Appointment.objects.count() == assignments.count() >= 14
    for assignment in assignments:
        appointment = Appointment.objects.get(person=assignment.user.person)
        assert assignment.municipality_id == appointment.municipality_id
        assert set(assignment.units.all()) == set(appointment.units.all())


def test_coaching_spans_the_appointments_and_obeys_the_rules(demo):
    activities = CoachingActivity.objects.all()
    assert activities.count() > 300
    assert not activities.filter(date__gt=timezone.localdate()).exists()
    assert not activities.filter(date__lt=F("appointment__starts_on")).exists()
    assert not activities.exclude(unit__in=F("appointment__units")).exists()
    assert activities.filter(date__year=2025).exists()
    assert activities.filter(date__year=2026).exists()
    at_the_unit = Employment.objects.filter(person=OuterRef("person"),
                                            units=OuterRef("activity__unit"))
    assert not CoachingParticipant.objects.exclude(Exists(at_the_unit)).exists()
    # Some entries only count heads: they give no hours.
    assert activities.filter(participants__isnull=True, counted_participants__gt=0).exists()


def test_the_coverage_page_has_workplaces_to_flag(demo):
    ale = Municipality.objects.get(code="1440")
    assert queries.uncovered_units(ale).exists()
    assert Programme.objects.get().municipalities.filter(pk=ale.pk).exists()
