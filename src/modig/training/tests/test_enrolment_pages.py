"""Enrolment through the pages (issue 5, "Sessions and enrolment"): a staff member signs up
and cancels, a unit manager signs up a unit, a coordinator signs up anyone in their
municipality, and each sees only the participants they may see."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conftest import make_user, sign_in
from modig.accounts.models import Role
from modig.organisation.models import Employment
from modig.training import services
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session


@pytest.fixture
def session(region, trainer):
    return make_session(make_course(region.programme, title="Trygg i mobilen"), capacity=2,
                        trainer=trainer)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_staff_member_signs_up_and_sees_their_place(login, staff_member, session, region):
    client = login(staff_member)
    response = client.post(reverse("training:session-enrol-self", args=[session.pk]),
                           follow=True)
    enrolment = Enrolment.objects.get()
    assert (enrolment.person, enrolment.source, enrolment.enrolled_by) == (
        region.anna, "self", staff_member)
    page = response.content.decode()
    assert "Du har en plats" in page and "Avboka min plats" in page


def test_a_full_session_puts_a_staff_member_on_the_waiting_list(login, staff_member, session,
                                                               region):
    for person in (region.bertil, region.dual):
        services.enrol(session, person, by=None, source="self")
    response = login(staff_member).post(
        reverse("training:session-enrol-self", args=[session.pk]))
    assert any("reservlistan" in m for m in _messages(response))
    assert Enrolment.objects.get(person=region.anna).status == "waiting"


def test_a_refusal_is_shown_in_swedish_and_changes_nothing(login, staff_member, session,
                                                           region):
    Employment.objects.filter(person=region.anna).update(is_active=False)
    response = login(staff_member).post(
        reverse("training:session-enrol-self", args=[session.pk]))
    assert any("ingen aktiv anställning" in m for m in _messages(response))
    assert not Enrolment.objects.exists()


def test_cancelling_ones_place_moves_the_waiting_list_up(login, staff_member, session, region):
    mine = services.enrol(session, region.anna, by=None, source="self")
    services.enrol(session, region.bertil, by=None, source="self")
    waiting = services.enrol(session, region.dual, by=None, source="self")
    login(staff_member).post(reverse("training:enrolment-cancel", args=[mine.pk]))
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "enrolled")


def test_a_staff_member_cannot_cancel_someone_elses_place(login, staff_member, session,
                                                          region):
    other = services.enrol(session, region.bertil, by=None, source="self")
    response = login(staff_member).post(reverse("training:enrolment-cancel", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "enrolled"


def test_a_unit_manager_signs_up_their_unit_and_sees_the_result(login, unit_manager, session,
                                                               region):
    client = login(unit_manager)
    url = reverse("training:session-enrol-unit", args=[session.pk])
    page = client.get(url, {"unit": region.vikadamm.pk}).content.decode()
    assert "Anna Andersson" in page and "Bertil Berg" in page and "Dana Dahl" in page
    assert "Cecilia" not in page
    services.enrol(session, region.anna, by=None, source="self")
    response = client.post(url, {"unit": region.vikadamm.pk,
                                 "person": [region.anna.pk, region.bertil.pk, region.dual.pk]})
    assert response.status_code == 302
    shown = " ".join(_messages(response))
    assert "1 person fick en plats" in shown
    assert "1 person står på reservlistan: Dana Dahl" in shown
    assert "Anna Andersson är redan anmäld" in shown
    assert set(Enrolment.objects.filter(source="manager").values_list("person", "status")) == {
        (region.bertil.pk, "enrolled"), (region.dual.pk, "waiting")}


def test_a_unit_manager_cannot_sign_up_a_unit_outside_their_scope(login, unit_manager, session,
                                                                 region):
    response = login(unit_manager).post(
        reverse("training:session-enrol-unit", args=[session.pk]),
        {"unit": region.solgarden.pk, "person": [region.cecilia.pk]})
    assert response.status_code == 200  # the form refuses the unit
    assert not Enrolment.objects.exists()


def test_a_coordinator_finds_and_signs_up_a_person_of_their_municipality(
        login, coordinator, session, region):
    client = login(coordinator)
    url = reverse("training:session-enrol-person", args=[session.pk])
    page = client.get(url, {"q": "berg"}).content.decode()
    assert "Bertil Berg" in page
    assert "Cecilia Carlsson" not in client.get(url, {"q": "Cecilia"}).content.decode()
    client.post(url, {"person": region.bertil.pk})
    enrolment = Enrolment.objects.get()
    assert (enrolment.person, enrolment.source) == (region.bertil, "coordinator")
    assert client.post(url, {"person": region.cecilia.pk}).status_code == 404


def test_participants_are_shown_to_the_trainer_but_scoped_for_a_manager(
        client, trainer, session, region, unit_manager):
    for person in (region.anna, region.cecilia):
        services.enrol(session, person, by=None, source="self")
    url = reverse("training:session-detail", args=[session.pk])
    sign_in(client, trainer)
    page = client.get(url).content.decode()
    assert "Anna Andersson" in page and "Cecilia Carlsson" in page
    sign_in(client, unit_manager)
    page = client.get(url).content.decode()
    assert "Anna Andersson" in page and "Cecilia Carlsson" not in page
    tjorn_manager = make_user("chef@tjorn.example", Role.UNIT_MANAGER, units=[region.solgarden])
    sign_in(client, tjorn_manager)
    page = client.get(url).content.decode()
    assert "Cecilia Carlsson" in page and "Anna Andersson" not in page


def test_a_staff_member_sees_no_participant_list(login, staff_member, session, region):
    services.enrol(session, region.bertil, by=None, source="self")
    page = login(staff_member).get(
        reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "Bertil" not in page


def test_a_coordinator_cancels_a_session_of_their_municipality(login, coordinator, region):
    session = make_session(make_course(region.programme), municipality=region.ale)
    services.enrol(session, region.anna, by=None, source="self")
    response = login(coordinator).post(reverse("training:session-cancel", args=[session.pk]),
                                       follow=True)
    session.refresh_from_db()
    assert session.is_cancelled
    assert "Tillfället är inställt" in response.content.decode()
