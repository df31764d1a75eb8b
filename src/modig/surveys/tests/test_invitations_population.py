"""Who a round reaches and how invitations are made (surveys.population, surveys.invitations)."""

import base64
import dataclasses

import pytest

from modig.organisation.models import Employment, Occupation, Person, TargetGroup
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit
from modig.surveys import tokens
from modig.surveys.invitations import invite_population, letter_secrets
from modig.surveys.models import Invitation
from modig.surveys.population import Population, for_round
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("first_name", flat=True))


def test_empty_selection_is_everyone_actively_employed_in_the_programme(region):
    outside = PersonFactory(first_name="Utanför")
    EmploymentFactory(person=outside, municipality=region.ale, employee_id="X9",
                      units=[region.vikadamm], is_active=False)
    population = Population.of(region.programme)
    assert names(population.people()) == {"Anna", "Bertil", "Cecilia", "Dana"}
    assert population.count() == 4


def test_units_include_their_subtrees_and_inactive_employments_are_left_out(region):
    population = Population.of(region.programme, units=[region.ale_elderly])
    assert names(population.people()) == {"Anna", "Bertil", "Dana"}
    Employment.objects.filter(person=region.bertil).update(is_active=False)
    assert names(population.people()) == {"Anna", "Dana"}
    assert population.count() == 2


def test_dimensions_combine_with_and_values_with_or(region):
    nurse = Occupation.objects.exclude(ssyk_code="5321").first()
    Employment.objects.filter(person=region.anna).update(occupation=nurse)
    assistant = Occupation.objects.get(ssyk_code="5321")
    ale_nurses = Population.of(region.programme, municipalities=[region.ale],
                               occupations=[nurse])
    assert names(ale_nurses.people()) == {"Anna"}
    either = Population.of(region.programme, municipalities=[region.ale],
                           occupations=[nurse, assistant])
    assert names(either.people()) == {"Anna", "Bertil", "Dana"}
    both_places = Population.of(region.programme, units=[region.vikadamm, region.solgarden])
    assert both_places.count() == 4
    # Dana's Tjörn employment matches Tjörn; her Ale one does not, but she is in once.
    tjorn = Population.of(region.programme, municipalities=[region.tjorn])
    assert names(tjorn.people()) == {"Cecilia", "Dana"}


def test_target_groups_filter_on_the_employment(region):
    ambassadors = TargetGroup.objects.get(code=TargetGroup.Code.AMBASSADOR)
    region.bertil.employments.get().target_groups.add(ambassadors)
    population = Population.of(region.programme, target_groups=[ambassadors])
    assert names(population.people()) == {"Bertil"}
    # Both dimensions must match the SAME employment: Bertil works in Ale, not Tjörn.
    elsewhere = dataclasses.replace(population, municipality_ids=frozenset([region.tjorn.pk]))
    assert elsewhere.count() == 0


def test_people_in_municipalities_outside_the_programme_are_not_reached(region):
    region.programme.municipalities.remove(region.tjorn)
    assert names(Population.of(region.programme).people()) == {"Anna", "Bertil", "Dana"}


def test_for_round_reads_the_round_selection(region):
    round_ = make_round(region.programme)
    round_.units.set([region.nodinge])
    assert names(for_round(round_).people()) == {"Anna", "Bertil", "Dana"}


def test_invite_population_is_idempotent_and_places_people(region):
    round_ = make_round(region.programme)
    round_.municipalities.set([region.tjorn])
    assert invite_population(round_) == 2
    assert invite_population(round_) == 0
    assert Invitation.objects.filter(round=round_).count() == 2
    dana = Invitation.objects.get(round=round_, person=region.dual)
    assert (dana.municipality, dana.unit) == (region.tjorn, region.solgarden)
    # Someone new joins: only they are invited on the next run.
    newcomer = PersonFactory(first_name="Ny")
    EmploymentFactory(person=newcomer, municipality=region.tjorn, employee_id="T9",
                      units=[region.solgarden])
    assert invite_population(round_) == 1
    assert Invitation.objects.filter(round=round_).count() == 3


def test_placement_prefers_the_chosen_unit_of_a_person_in_two_units(region):
    other = make_unit(region.ale, "Hemtjänst Alafors")
    region.anna.employments.get().units.set([region.vikadamm, other])
    round_ = make_round(region.programme)
    round_.units.set([other])
    invite_population(round_)
    assert Invitation.objects.get(round=round_, person=region.anna).unit == other


def test_channel_is_email_then_sms_then_letter(region):
    Person.objects.filter(pk=region.bertil.pk).update(email="", mobile="0701234567")
    Person.objects.filter(pk=region.cecilia.pk).update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    channels = dict(Invitation.objects.filter(round=round_)
                    .values_list("person__first_name", "channel"))
    assert channels["Anna"] == Invitation.Channel.EMAIL
    assert channels["Bertil"] == Invitation.Channel.SMS
    assert channels["Cecilia"] == Invitation.Channel.LETTER


def test_secrets_are_long_and_never_stored(region):
    round_ = make_round(region.programme)
    invite_population(round_)
    invitation = Invitation.objects.get(round=round_, person=region.anna)
    token, code = letter_secrets(invitation)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert invitation.token_digest == tokens.digest(token)
    assert invitation.short_code_digest == tokens.digest(code)
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    for value in row.values():
        text = str(value)
        assert token not in text
        assert code not in text
        assert tokens.display_short_code(code) not in text
    others = set(Invitation.objects.filter(round=round_).values_list("token_digest", flat=True))
    assert len(others) == 4


def test_a_digest_collision_gets_a_new_salt(region, monkeypatch):
    round_ = make_round(region.programme)
    round_.units.set([region.solgarden])
    taken = make_round(region.programme, round_.questionnaire, name="Annan")
    taken.units.set([region.solgarden])
    invite_population(taken)
    used = Invitation.objects.filter(round=taken).values_list("salt", flat=True)
    salts = iter([*used, *(tokens.new_salt() for _ in range(10))])
    monkeypatch.setattr(tokens, "new_salt", lambda: next(salts))
    assert invite_population(round_) == 2
    assert not set(Invitation.objects.filter(round=round_).values_list("salt", flat=True)) & \
        set(used)
