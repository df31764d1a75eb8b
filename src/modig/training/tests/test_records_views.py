"""A person's own learning history ("Min utbildning") and a manager's view of their staff
(issue 5, "Hours ledger"): sessions attended with hours from the ledger, distance courses
completed by the person or confirmed by their manager, who is signed up, who attended."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from modig.accounts.models import AccessLogEntry
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import ledger, services
from modig.training.models import Course, DistanceCompletion, Enrolment
from modig.training.services import RollCallRow
from modig.training.tests.factories import make_course, make_session, meeting

MY = reverse("training:my-training")
STAFF = reverse("training:staff-training")


@pytest.fixture
def history(region, trainer, monkeypatch):
    """Anna: present 2 h and partly 45 min on a two-meeting session; Bertil absent; a distance
    course of 90 min completed by Anna; an upcoming session Dana is signed up for."""
    moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    session = make_session(make_course(region.programme, title="Dokumentera i mobilen"),
                           municipality=region.ale, trainer=trainer,
                           meetings=[meeting("2026-03-02", "09:00", "11:00"),
                                     meeting("2026-03-09", "09:00", "11:00")])
    for person in (region.anna, region.bertil):
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    first, second = session.meetings.all()
    services.record_roll_call(first, [RollCallRow(region.anna.pk, "present"),
                                      RollCallRow(region.bertil.pk, "absent")], by=trainer)
    services.record_roll_call(second, [RollCallRow(region.anna.pk, "partial", 45),
                                       RollCallRow(region.bertil.pk, "absent")], by=trainer)
    distance = make_course(region.programme, title="Säker inloggning",
                           format=Course.Format.SELF_PACED, nominal_minutes=90)
    services.complete_distance_course(distance, region.anna,
                                      completed_on=datetime.date(2026, 3, 5), by=None,
                                      confirmed_as="self")
    upcoming = make_session(make_course(region.programme, title="Välfärdsteknik i vardagen"),
                            meetings=[meeting("2026-04-01")])
    services.enrol(upcoming, region.dual, by=None, source=Enrolment.Source.SELF)
    return session


def test_my_training_shows_sessions_distance_courses_and_hours(client, region, history,
                                                               staff_member):
    sign_in(client, staff_member)
    text = client.get(MY).content.decode()
    assert "Dokumentera i mobilen" in text and "Säker inloggning" in text
    assert "Delvis närvarande (45 min)" in text
    assert "Utbildningstid: <strong>2 tim 45 min</strong>" in text
    # 120 + 45 + 90 minutes: the ledger's total for Anna.
    figure = ledger.totals(region.programme, ledger.LedgerFilter(
        people=type(region.anna).objects.filter(pk=region.anna.pk)))
    assert figure.minutes == 255
    assert "4 tim 15 min" in text
    assert "Välfärdsteknik" not in text  # Dana's, not Anna's


def test_my_training_takes_a_fixed_number_of_queries(client, region, history, staff_member,
                                                     django_assert_max_num_queries):
    sign_in(client, staff_member)
    with django_assert_max_num_queries(25):
        client.get(MY)


def test_an_account_without_a_person_is_told_why_nothing_shows(client, trainer):
    sign_in(client, trainer)
    text = client.get(MY).content.decode()
    assert "Ditt konto är inte kopplat till någon i personallistan." in text
    assert reverse("training:roll-call-list") in text  # a trainer's way to the roll calls
    assert STAFF not in text


def test_a_unit_manager_finds_the_staff_overview_there(client, unit_manager):
    sign_in(client, unit_manager)
    text = client.get(MY).content.decode()
    assert STAFF in text
    assert reverse("training:roll-call-list") not in text


def completion_url(course):
    return reverse("training:course-completion", args=[course.code])


def test_the_person_says_they_completed_a_distance_course(client, region, staff_member):
    course = make_course(region.programme, title="Lösenord och säkerhet",
                         format=Course.Format.SELF_PACED, nominal_minutes=60)
    sign_in(client, staff_member)
    page = client.get(completion_url(course)).content.decode()
    assert "Jag har gjort klart den" in page and "1 tim" in page
    today = timezone.localdate()
    response = client.post(completion_url(course), {"completed_on": today.isoformat()},
                           follow=True)
    assert "Bra gjort!" in response.content.decode()
    completion = DistanceCompletion.objects.get()
    assert (completion.person, completion.confirmed_as, completion.completed_on) == (
        region.anna, "self", today)
    client.post(completion_url(course), {"completed_on": today.isoformat()})
    assert DistanceCompletion.objects.count() == 1


def test_a_future_completion_date_is_refused(client, region, staff_member):
    course = make_course(region.programme, format=Course.Format.SELF_PACED)
    sign_in(client, staff_member)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(completion_url(course), {"completed_on": tomorrow.isoformat()})
    assert "Datumet kan inte vara i framtiden." in response.content.decode()
    assert not DistanceCompletion.objects.exists()


def test_only_distance_courses_are_completed_this_way(client, region, staff_member):
    course = make_course(region.programme, format=Course.Format.ON_SITE)
    sign_in(client, staff_member)
    assert client.get(completion_url(course)).status_code == 404


def test_the_unit_manager_sees_their_staff_with_hours(client, region, history, unit_manager):
    sign_in(client, unit_manager)
    response = client.get(STAFF)
    text = response.content.decode()
    rows = {row.person.first_name: row for row in response.context["rows"]}
    assert set(rows) == {"Anna", "Bertil", "Dana"}  # Vikadamm is under Nödinge
    assert (rows["Anna"].minutes, rows["Anna"].sessions_attended) == (255, 1)
    assert (rows["Bertil"].minutes, rows["Bertil"].has_attended) == (0, False)
    assert [e.session.course.title for e in rows["Dana"].upcoming] == [
        "Välfärdsteknik i vardagen"]
    assert "Cecilia" not in text
    assert "4 tim 15 min" in text and "Inte än" in text
    assert rows["Dana"].units == ["Vikadamm boende"]  # not her Tjörn unit
    assert "Solgården" not in text


def test_the_coordinator_sees_their_municipality_and_filters_by_unit(
        client, region, history, tjorn_coordinator):
    sign_in(client, tjorn_coordinator)
    rows = client.get(STAFF).context["rows"]
    assert {r.person.first_name for r in rows} == {"Cecilia", "Dana"}
    other = PersonFactory(first_name="Erik", last_name="Ek")
    EmploymentFactory(person=other, municipality=region.tjorn, employee_id="T9",
                      units=[region.solgarden])
    rows = client.get(STAFF, {"unit": region.solgarden.pk, "q": "ek"}).context["rows"]
    assert [r.person.first_name for r in rows] == ["Erik"]


def test_the_staff_list_takes_a_fixed_number_of_queries(client, region, history,
                                                        programme_admin,
                                                        django_assert_max_num_queries):
    for number in range(20):
        person = PersonFactory(first_name=f"P{number}", last_name="Test")
        EmploymentFactory(person=person, municipality=region.ale, employee_id=f"Q{number}",
                          units=[region.vikadamm])
    sign_in(client, programme_admin)
    with django_assert_max_num_queries(25):
        response = client.get(STAFF)
    assert len(response.context["rows"]) == 24


@pytest.mark.parametrize(("persona", "status"), [
    ("staff_member", 403), ("trainer", 403), ("ambassador", 403), ("outsider", 403),
])
def test_others_have_no_staff_view(client, persona, status, request):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(STAFF).status_code == status


def person_url(person):
    return reverse("training:staff-person-training", args=[person.pk])


def test_the_manager_confirms_a_distance_course_for_their_staff(client, region, history,
                                                                unit_manager):
    course = make_course(region.programme, title="Appar i omsorgen",
                         format=Course.Format.BLENDED, nominal_minutes=45)
    sign_in(client, unit_manager)
    page = client.get(person_url(region.bertil)).content.decode()
    assert "Appar i omsorgen" in page
    assert AccessLogEntry.objects.filter(person=region.bertil, user=unit_manager).exists()
    response = client.post(person_url(region.bertil), {
        "course": course.pk, "completed_on": "2026-03-06"}, follow=True)
    assert "”Appar i omsorgen” är registrerad som genomförd av Bertil Berg." in (
        response.content.decode())
    completion = DistanceCompletion.objects.get(person=region.bertil)
    assert (completion.confirmed_as, completion.confirmed_by) == ("manager", unit_manager)


def test_a_manager_cannot_open_someone_elses_staff(client, region, history, unit_manager):
    sign_in(client, unit_manager)
    assert client.get(person_url(region.cecilia)).status_code == 404
    course = make_course(region.programme, format=Course.Format.SELF_PACED)
    client.post(person_url(region.cecilia), {"course": course.pk,
                                              "completed_on": "2026-03-06"})
    assert not DistanceCompletion.objects.filter(person=region.cecilia).exists()
