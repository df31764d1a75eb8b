import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment
from modig.ambassadors import services
from modig.ambassadors.models import CoachingActivity, CoachingParticipant
from modig.ambassadors.tests.factories import entry, make_ambassador
from modig.organisation.services import merge_people
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory


def _ambassador_units(user):
    return {u.pk for a in RoleAssignment.objects.current().filter(user=user, role=Role.AMBASSADOR)
            for u in a.units.all()}


def test_appointing_gives_the_user_the_ambassador_role_for_those_units(region):
    user, appointment = make_ambassador(region)
    assert _ambassador_units(user) == {region.vikadamm.pk}
    services.update_appointment(appointment, units=[region.vikadamm, region.nodinge],
                                time_percent=30, starts_on=appointment.starts_on, ends_on=None)
    assert _ambassador_units(user) == {region.vikadamm.pk, region.nodinge.pk}


def test_ending_the_appointment_ends_the_role(region):
    user, appointment = make_ambassador(region)
    services.end_appointment(appointment, on=timezone.localdate() - datetime.timedelta(days=1))
    assert _ambassador_units(user) == set()
    assert RoleAssignment.objects.filter(user=user, role=Role.AMBASSADOR).exists()


def test_an_appointment_needs_units_in_its_municipality_and_a_sane_percent(region):
    person = region.anna
    with pytest.raises(ValidationError) as error:
        services.appoint(person, region.ale, units=[region.solgarden], time_percent=150,
                         starts_on=datetime.date(2026, 1, 1))
    assert set(error.value.message_dict) == {"units", "time_percent"}
    with pytest.raises(ValidationError) as error:
        services.appoint(region.cecilia, region.ale, units=[region.vikadamm], time_percent=10,
                         starts_on=datetime.date(2026, 1, 1))
    assert "person" in error.value.message_dict


def test_a_coaching_entry_is_saved_once_per_key(region):
    _, appointment = make_ambassador(region)
    first = entry(region, participants=[region.anna, region.bertil])
    logged = services.log_coaching(appointment, first)
    again = services.log_coaching(appointment, first)
    assert logged.created and not again.created
    assert again.activity == logged.activity
    assert CoachingActivity.objects.count() == 1
    assert CoachingParticipant.objects.count() == 2


@pytest.mark.parametrize(("fields", "field", "text"), [
    ({"unit": "solgarden"}, "unit", "Du är inte ombud för Solgården"),
    ({"participants": ["cecilia"]}, "participants", "Cecilia Carlsson arbetar inte på"),
    ({"minutes": -5}, "minutes", "minst 1"),
    ({"minutes": 8 * 60 + 1}, "minutes", "Högst 8 timmar"),
    ({"date": "tomorrow"}, "date", "framtiden"),
    ({"participants": [], "counted_participants": 0}, "participants", "hur många"),
    ({"topic_text": ""}, "topic_text", "handlade om"),
])
def test_bad_coaching_is_refused_with_a_swedish_message_and_nothing_saved(
        region, fields, field, text):
    _, appointment = make_ambassador(region)
    values = {}
    for name, value in fields.items():
        if name == "unit":
            value = getattr(region, value)
        elif name == "participants":
            value = [getattr(region, v) for v in value]
        elif value == "tomorrow":
            value = timezone.localdate() + datetime.timedelta(days=1)
        values[name] = value
    from django.utils import translation

    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.log_coaching(appointment, entry(region, **values))
    assert text in " ".join(error.value.message_dict[field])
    assert not CoachingActivity.objects.exists()
    assert not CoachingParticipant.objects.exists()


def test_a_date_outside_the_appointment_is_refused(region):
    _, appointment = make_ambassador(region, starts_on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.log_coaching(appointment, entry(region, date=datetime.date(2026, 5, 1)))
    assert "date" in error.value.message_dict


def test_someone_elses_key_does_not_show_their_entry(region):
    _, appointment = make_ambassador(region)
    _, other = make_ambassador(region, email="olle@ale.example")
    key = uuid.uuid4()
    services.log_coaching(appointment, entry(region, idempotency_key=key))
    with pytest.raises(ValidationError):
        services.log_coaching(other, entry(region, idempotency_key=key))


def test_counted_participants_alone_are_allowed(region):
    _, appointment = make_ambassador(region)
    logged = services.log_coaching(appointment, entry(region, participants=[],
                                                      counted_participants=7))
    assert logged.activity.counted_participants == 7
    assert not logged.activity.participants.exists()


def test_merging_two_people_moves_their_coaching(region):
    _, appointment = make_ambassador(region)
    twin = PersonFactory(first_name="Anna", last_name="Andersson")
    EmploymentFactory(person=twin, municipality=region.ale, employee_id="A9",
                      units=[region.vikadamm])
    both = services.log_coaching(appointment, entry(region, participants=[region.anna, twin]))
    only_twin = services.log_coaching(appointment, entry(region, participants=[twin]))
    merge_people(region.anna, duplicate=twin)
    assert set(CoachingParticipant.objects.values_list("activity_id", "person_id")) == {
        (both.activity.pk, region.anna.pk), (only_twin.activity.pk, region.anna.pk)}
