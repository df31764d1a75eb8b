"""The roll call page on a phone (issue 5, "Attendance"): the enrolled list with everyone
present by default, one form that saves every row in one transaction, walk-ins, and a clear
Swedish message outside the meeting's window.

Taps for 30 people: everyone starts as present, so a meeting where all came is one tap (Save);
each absent person adds one tap, each partly present person two taps and the minutes typed.
`test_thirty_people_all_present_is_one_tap` submits the form exactly as the page gives it.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import services
from modig.training.models import Attendance, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting


def set_now(monkeypatch, text: str) -> None:
    moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def session(region, trainer):
    session = make_session(make_course(region.programme, title="Dokumentera i mobilen"),
                           municipality=region.ale, trainer=trainer, capacity=40,
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    return session


@pytest.fixture
def during(monkeypatch):
    set_now(monkeypatch, "2026-03-02 09:05")


def url(session):
    return reverse("training:meeting-roll-call", args=[session.pk, session.meetings.get().pk])


def page_defaults(response) -> dict:
    """What the browser would send if nothing is changed: each checked radio and each
    minutes box as it is."""
    html = response.content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or not name.group(1).startswith(("status-", "minutes-")):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="radio"' in tag:
            if " checked" in tag:
                data[name.group(1)] = value.group(1)
        else:
            data[name.group(1)] = value.group(1) if value else ""
    return data


def test_the_page_lists_everyone_enrolled_as_present(client, region, session, trainer, during):
    sign_in(client, trainer)
    response = client.get(url(session))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("Anna Andersson", "Bertil Berg", "Dana Dahl"):
        assert name in text
    assert "Cecilia" not in text
    assert page_defaults(response) == {
        f"status-{p.pk}": "present" for p in (region.anna, region.bertil, region.dual)
    } | {f"minutes-{p.pk}": "" for p in (region.anna, region.bertil, region.dual)}
    assert "Alla är markerade som närvarande" in text


def test_thirty_people_all_present_is_one_tap(client, region, trainer, monkeypatch,
                                              django_assert_max_num_queries):
    set_now(monkeypatch, "2026-03-02 09:05")
    session = make_session(make_course(region.programme), municipality=region.ale,
                           trainer=trainer, capacity=30,
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    for number in range(30):
        person = PersonFactory(first_name=f"Person{number:02d}", last_name="Test")
        EmploymentFactory(person=person, municipality=region.ale, employee_id=f"X{number}",
                          units=[region.vikadamm])
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    sign_in(client, trainer)
    with django_assert_max_num_queries(20):
        page = client.get(url(session))
    data = page_defaults(page)
    assert len([k for k in data if k.startswith("status-")]) == 30
    with django_assert_max_num_queries(30):
        response = client.post(url(session), data)  # the one tap: "Spara närvaron"
    assert response.status_code == 302
    assert Attendance.objects.filter(status="present", minutes=120).count() == 30


def test_absent_and_partly_present_rows_are_saved_together(client, region, session, trainer,
                                                           during):
    sign_in(client, trainer)
    data = page_defaults(client.get(url(session)))
    data[f"status-{region.bertil.pk}"] = "absent"
    data[f"status-{region.dual.pk}"] = "partial"
    data[f"minutes-{region.dual.pk}"] = "75"
    response = client.post(url(session), data, follow=True)
    assert "Närvaron är sparad: 3 nya, 0 ändrade, 0 som förut." in response.content.decode()
    stored = {a.person_id: (a.status, a.minutes) for a in Attendance.objects.all()}
    assert stored == {region.anna.pk: ("present", 120), region.bertil.pk: ("absent", 0),
                      region.dual.pk: ("partial", 75)}


def test_saving_again_updates_the_same_rows(client, region, session, trainer, during):
    sign_in(client, trainer)
    client.post(url(session), page_defaults(client.get(url(session))))
    data = page_defaults(client.get(url(session)))
    data[f"status-{region.anna.pk}"] = "absent"
    response = client.post(url(session), data, follow=True)
    assert "0 nya, 1 ändrade, 2 som förut" in response.content.decode()
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(person=region.anna).status == "absent"


@pytest.mark.parametrize("minutes", ["", "120", "abc"])
def test_a_bad_row_saves_nothing_and_says_which_row(client, region, session, trainer, during,
                                                    minutes):
    sign_in(client, trainer)
    data = page_defaults(client.get(url(session)))
    data[f"status-{region.dual.pk}"] = "partial"
    data[f"minutes-{region.dual.pk}"] = minutes
    response = client.post(url(session), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Inget sparades" in text
    assert re.search(r"Dana Dahl: ", text)
    assert not Attendance.objects.exists()


def test_roll_call_is_refused_before_the_meeting_day(client, region, session, trainer,
                                                     monkeypatch):
    set_now(monkeypatch, "2026-03-01 18:00")
    sign_in(client, trainer)
    page = client.get(url(session))
    assert "Närvarolistan öppnar samma dag som träffen, 2 mars 2026." in page.content.decode()
    assert 'name="status-' not in page.content.decode()
    data = {f"status-{region.anna.pk}": "present"}
    response = client.post(url(session), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_roll_call_is_closed_fifteen_days_after(client, region, session, trainer, monkeypatch):
    set_now(monkeypatch, "2026-03-17 08:00")
    sign_in(client, trainer)
    client.post(url(session), {f"status-{region.anna.pk}": "present"})
    page = client.get(url(session)).content.decode()
    assert "närvarolistan stängde 16 mars 2026" in page
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("trainer", 200), ("coordinator", 200), ("programme_admin", 200),
    ("unit_manager", 403), ("staff_member", 403), ("tjorn_coordinator", 404),
    ("outsider", 404),
])
def test_who_takes_the_roll_call(client, session, during, request, persona, status):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(url(session)).status_code == status


def test_a_person_not_on_the_list_cannot_be_posted_in(client, region, session, trainer,
                                                      during):
    sign_in(client, trainer)
    data = page_defaults(client.get(url(session)))
    data[f"status-{region.cecilia.pk}"] = "present"
    client.post(url(session), data)
    assert not Attendance.objects.filter(person=region.cecilia).exists()


def walk_in_url(session):
    return reverse("training:meeting-walk-in", args=[session.pk, session.meetings.get().pk])


def test_the_coordinator_finds_and_adds_a_walk_in(client, region, session, coordinator,
                                                  during):
    services.cancel_enrolment(Enrolment.objects.get(person=region.dual), by=None)
    sign_in(client, coordinator)
    found = client.get(url(session), {"q": "dahl"}).content.decode()
    assert "Lägg till Dana Dahl som närvarande" in found
    assert "Lägg till Anna" not in found  # already on the list
    response = client.post(walk_in_url(session), {"q": "dahl", "person": region.dual.pk},
                           follow=True)
    assert "Dana Dahl är tillagd i listan som närvarande." in response.content.decode()
    enrolment = Enrolment.objects.active().get(person=region.dual)
    assert enrolment.source == Enrolment.Source.WALK_IN
    assert Attendance.objects.get(person=region.dual).status == "present"


def test_a_trainer_finds_a_walk_in_only_by_the_whole_name(client, region, session, trainer,
                                                          during):
    services.cancel_enrolment(Enrolment.objects.get(person=region.dual), by=None)
    sign_in(client, trainer)
    assert "Dana Dahl" not in client.get(url(session), {"q": "dah"}).content.decode()
    assert "Lägg till Dana Dahl" in client.get(url(session),
                                               {"q": "dana dahl"}).content.decode()
    # Posting a person the search did not find adds nobody.
    client.post(walk_in_url(session), {"q": "dah", "person": region.dual.pk})
    assert not Enrolment.objects.active().filter(person=region.dual).exists()


def test_a_walk_in_from_another_municipality_is_not_offered(client, region, session,
                                                            programme_admin, during):
    sign_in(client, programme_admin)
    assert "Cecilia" not in client.get(url(session), {"q": "cecilia"}).content.decode()
    client.post(walk_in_url(session), {"q": "cecilia", "person": region.cecilia.pk})
    assert not Enrolment.objects.filter(person=region.cecilia).exists()
