"""The ambassadors' network: scheduling across municipalities, invitations, the roll call and
what the hours ledger makes of it (a network meeting is a training session)."""

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from modig.accounts.models import Role
from modig.ambassadors import network, queries, services
from modig.ambassadors.models import NetworkMeeting
from modig.ambassadors.tests.factories import make_ambassador
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import ledger
from modig.training.models import Attendance, Course, Enrolment
from modig.training.services import RollCallRow


@pytest.fixture
def ambassadors(region):
    """Ella (Ale, with a log-in) and Tove (Tjörn), both appointed; Bertil has no appointment."""
    ella_user, ella = make_ambassador(region)
    tove = PersonFactory(first_name="Tove", last_name="Tjörn", email="tove@tjorn.example")
    EmploymentFactory(person=tove, municipality=region.tjorn, employee_id="T9",
                      units=[region.solgarden])
    tove_appointment = services.appoint(tove, region.tjorn, units=[region.solgarden],
                                        time_percent=10, starts_on=datetime.date(2025, 1, 1))
    return ella_user, ella, tove_appointment


def data(region, **changes) -> network.MeetingData:
    values = dict(topic="Digitala lås: vad vi lärde oss",
                  date=timezone.localdate() - datetime.timedelta(days=1),
                  starts_at=datetime.time(13, 0), ends_at=datetime.time(15, 0),
                  municipalities=[region.ale, region.tjorn], place="Kommunhuset i Kungälv",
                  idempotency_key=uuid.uuid4())
    values.update(changes)
    return network.MeetingData(**values)


def _refused(user, meeting_data) -> dict:
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        network.schedule(meeting_data, by=user)
    return error.value.message_dict


def test_scheduling_invites_the_active_ambassadors_of_the_chosen_municipalities(
        region, ambassadors, programme_admin):
    _ella_user, ella, tove = ambassadors
    meeting, created = network.schedule(data(region), by=programme_admin)
    assert created
    invited = set(meeting.session.enrolments.filter(status=Enrolment.Status.ENROLLED)
                  .values_list("person_id", flat=True))
    assert invited == {ella.person_id, tove.person_id}  # not Bertil, who has no appointment
    course = meeting.session.course
    assert course.code == f"natverk-{region.programme.pk}" and not course.is_published
    assert meeting.session.municipality_id is None  # for several municipalities
    # The invitation is training's enrolment confirmation (queued, e-mail else SMS).
    from modig.training import messages

    for enrolment in meeting.session.enrolments.all():
        messages.send_enrolment_confirmation(enrolment.pk)
    to_tove = [m for m in mail.outbox if m.to == ["tove@tjorn.example"]]
    assert len(to_tove) == 1 and "Kommunhuset i Kungälv" in to_tove[0].body


def test_only_the_chosen_municipalities_are_invited(region, ambassadors, programme_admin):
    _ella_user, _ella, tove = ambassadors
    meeting, _ = network.schedule(data(region, municipalities=[region.tjorn]),
                                  by=programme_admin)
    assert list(meeting.session.enrolments.values_list("person_id", flat=True)) == [
        tove.person_id]


def test_the_same_form_twice_schedules_one_meeting(region, ambassadors, programme_admin):
    same = data(region)
    first, created = network.schedule(same, by=programme_admin)
    again, created_again = network.schedule(same, by=programme_admin)
    assert created and not created_again and first == again
    assert NetworkMeeting.objects.count() == 1


@pytest.mark.parametrize("changes, field, text", [
    ({"municipalities": []}, "municipalities", "Välj minst en kommun"),
    ({"topic": "  "}, "topic", "Skriv vad träffen handlar om"),
    ({"place": "", "video_url": ""}, "place", "länken till mötet"),
    ({"ends_at": datetime.time(12, 0)}, "ends_at", "sluta efter"),
    ({"date": datetime.date(2025, 1, 1)}, "date", "dagar sedan"),
])
def test_a_bad_meeting_is_refused_in_swedish_and_nothing_saved(region, ambassadors,
                                                               programme_admin, changes, field,
                                                               text):
    errors = _refused(programme_admin, data(region, **changes))
    assert text in " ".join(errors[field])
    assert not NetworkMeeting.objects.exists() and not Course.objects.exists()


def test_a_coordinator_hosts_for_their_own_municipality_only(region, ambassadors, coordinator):
    errors = _refused(coordinator, data(region, host=region.tjorn))
    assert "din egen kommun" in " ".join(errors["host"])
    meeting, _ = network.schedule(data(region, host=region.ale,
                                       municipalities=[region.tjorn]), by=coordinator)
    # The host's own ambassadors are always invited.
    assert set(meeting.invited.all()) == {region.ale, region.tjorn}
    assert network.can_manage(coordinator, meeting)


def test_the_roll_call_counts_as_training_hours_and_refuses_someone_not_invited(
        region, ambassadors, programme_admin):
    _ella_user, ella, tove = ambassadors
    meeting, _ = network.schedule(data(region), by=programme_admin)
    before = ledger.totals(region.programme)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        network.record_attendance(meeting, [RollCallRow(ella.person_id, "present"),
                                            RollCallRow(region.bertil.pk, "present")],
                                  by=programme_admin)
    assert "Bertil Berg är inte inbjuden" in " ".join(error.value.messages)
    assert not Attendance.objects.exists()  # nothing saved
    network.record_attendance(meeting, [RollCallRow(ella.person_id, "present"),
                                        RollCallRow(tove.person_id, "absent")],
                              by=programme_admin)
    after = ledger.totals(region.programme)
    assert after.people == before.people + 1  # Ella, two hours; Tove was absent
    assert after.hours == pytest.approx(before.hours + 2)
    # The ledger names the network course, and it is not part of the train-the-trainer track.
    assert meeting.session.course not in queries.ambassador_courses()
    counts = network.attendance_by_person([ella.person_id, tove.person_id])
    assert (counts[ella.person_id].attended, counts[ella.person_id].held) == (1, 1)
    assert (counts[tove.person_id].attended, counts[tove.person_id].held) == (0, 1)


def test_inviting_again_adds_only_the_newly_appointed(region, ambassadors, programme_admin):
    meeting, _ = network.schedule(data(region, date=timezone.localdate()
                                       + datetime.timedelta(days=10)), by=programme_admin)
    assert network.invite(meeting, by=programme_admin).enrolled == []
    services.appoint(region.bertil, region.ale, units=[region.vikadamm], time_percent=10,
                     starts_on=timezone.localdate())
    added = network.invite(meeting, by=programme_admin)
    assert added.enrolled == [region.bertil]
    assert meeting.session.enrolments.count() == 3


# Pages ----------------------------------------------------------------------------------------

def _form(region, **changes):
    values = {"idempotency_key": str(uuid.uuid4()), "topic": "Nattkameror",
              "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
              "starts_at": "13:00", "ends_at": "15:00", "place": "", "video_url":
              "https://meet.example/natverk", "municipalities": [region.ale.pk, region.tjorn.pk],
              "host": ""}
    values.update(changes)
    return values


def test_the_office_schedules_on_a_page_and_the_ambassador_sees_it_at_home(
        client, login, region, ambassadors, programme_admin):
    ella_user, _ella, _tove = ambassadors
    login(programme_admin)
    response = client.post(reverse("ambassadors:network-create"), _form(region), follow=True)
    assert response.status_code == 200
    assert "2 ombud är inbjudna" in response.text
    upcoming = client.post(reverse("ambassadors:network-create"), _form(
        region, topic="Läkemedelsrobotar",
        date=(timezone.localdate() + datetime.timedelta(days=20)).isoformat()))
    assert upcoming.status_code == 302
    login(ella_user)
    home = client.get(reverse("ambassadors:home")).text
    assert "Läkemedelsrobotar" in home and "Nattkameror" in home
    assert "du var inte med" in home  # the past one, no roll call yet


def test_a_meeting_without_municipalities_is_refused_on_the_page(client, login, region,
                                                                 ambassadors, programme_admin):
    login(programme_admin)
    response = client.post(reverse("ambassadors:network-create"),
                           _form(region, municipalities=[]))
    assert response.status_code == 400
    assert "Välj minst en kommun vars ombud bjuds in" in response.text
    assert not NetworkMeeting.objects.exists()


def test_the_roll_call_page_has_everyone_present_by_default(client, login, region, ambassadors,
                                                            programme_admin):
    _ella_user, ella, tove = ambassadors
    meeting, _ = network.schedule(data(region), by=programme_admin)
    login(programme_admin)
    url = reverse("ambassadors:network-roll-call", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200 and "<script" not in page.text.split("<main")[-1]
    form = page.context["form"]
    assert all(form[f"status-{p}"].value() == "present"
               for p in (ella.person_id, tove.person_id))
    saved = client.post(url, {f"status-{ella.person_id}": "present",
                              f"status-{tove.person_id}": "partial",
                              f"minutes-{tove.person_id}": "60"}, follow=True)
    assert "2 nya" in saved.text
    assert Attendance.objects.get(person=tove.person).minutes == 60
    # Someone not invited, slipped into the form: refused by name, nothing changed.
    refused = client.post(url, {f"status-{ella.person_id}": "absent",
                                f"status-{region.bertil.pk}": "present"})
    assert refused.status_code == 400
    assert "Bertil Berg är inte inbjuden" in refused.text
    assert Attendance.objects.get(person=ella.person).status == "present"


def test_an_invited_ambassador_reads_the_meeting_but_takes_no_attendance(
        client, login, region, ambassadors, programme_admin):
    ella_user, _ella, _tove = ambassadors
    meeting, _ = network.schedule(data(region), by=programme_admin)
    login(ella_user)
    assert client.get(reverse("ambassadors:network-detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("ambassadors:network-roll-call",
                              args=[meeting.pk])).status_code == 403
    other = make_user("annan@ale.example", Role.STAFF_MEMBER)
    login(other)
    assert client.get(reverse("ambassadors:network-detail", args=[meeting.pk])).status_code == 404


def test_the_coverage_overview_shows_network_attendance(client, login, region, ambassadors,
                                                         programme_admin):
    _ella_user, ella, tove = ambassadors
    meeting, _ = network.schedule(data(region), by=programme_admin)
    network.record_attendance(meeting, [RollCallRow(ella.person_id, "present"),
                                        RollCallRow(tove.person_id, "absent")],
                              by=programme_admin)
    login(programme_admin)
    page = client.get(reverse("ambassadors:appointment-list")).text
    assert "Nätverksträffar: 1 av 1." in page and "Nätverksträffar: 0 av 1." in page
