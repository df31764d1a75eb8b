"""QR check-in (issue 5, "Attendance"): the trainer's screen with a QR code and a short code,
a participant's phone that scans it, signs in and taps "Jag är här". Valid only during the
meeting; a code from another meeting or at the wrong time explains itself and records
nothing; the code never reaches a URL after the first request, the session or the page."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from modig.lib.access_log import redact
from modig.training import check_in, services
from modig.training.models import Attendance, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting


def set_now(monkeypatch, text: str) -> None:
    moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def session(region, trainer):
    session = make_session(make_course(region.programme, title="Trygg i mobilen"),
                           municipality=region.ale, trainer=trainer, meetings=[
                               meeting("2026-03-02", "13:00", "15:00"),
                               meeting("2026-03-03", "13:00", "15:00")])
    for person in (region.anna, region.bertil):
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    return session


def first_meeting(session):
    return session.meetings.order_by("date").first()


def link(meeting) -> str:
    return reverse("training:check-in-link", kwargs={"code": check_in.check_in_code(meeting)})


def test_the_trainer_shows_a_qr_code_and_the_short_code(client, session, trainer,
                                                        monkeypatch):
    set_now(monkeypatch, "2026-03-02 12:50")
    the_meeting = first_meeting(session)
    sign_in(client, trainer)
    response = client.get(reverse("training:meeting-check-in-code",
                                  args=[session.pk, the_meeting.pk]))
    text = response.content.decode()
    code = check_in.check_in_code(the_meeting)
    assert check_in.display_code(code) in text
    assert "<svg" in text and "QR-kod för att checka in" in text
    assert "<img" not in text.split("<main")[1]  # drawn inline, nothing fetched
    assert response["Cache-Control"].startswith("max-age=0")
    other = check_in.check_in_code(session.meetings.order_by("date").last())
    assert other != code


def test_codes_differ_per_meeting_and_depend_on_the_secret(session):
    first, second = session.meetings.order_by("date")
    assert check_in.check_in_code(first) != check_in.check_in_code(second)
    assert check_in.check_in_code(first, secret="another") != check_in.check_in_code(first)
    assert check_in.is_well_formed(check_in.check_in_code(first))


def test_the_participant_scans_signs_in_and_is_checked_in(client, region, session,
                                                          staff_member, monkeypatch):
    set_now(monkeypatch, "2026-03-02 12:50")
    the_meeting = first_meeting(session)
    response = client.get(link(the_meeting))
    assert response.status_code == 302 and response["Location"] == reverse("training:check-in")
    # Not signed in: the log-in page comes next, and it carries no code.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:login"))
    assert check_in.check_in_code(the_meeting) not in response["Location"]
    sign_in(client, staff_member)
    page = client.get(reverse("training:check-in")).content.decode()
    assert "Trygg i mobilen" in page and "Jag är här" in page
    assert not Attendance.objects.exists()  # opening the page records nothing
    response = client.post(reverse("training:check-in"), {"meeting": the_meeting.pk},
                           follow=True)
    assert "Du är incheckad på ”Trygg i mobilen”. Välkommen!" in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.meeting, attendance.status, attendance.source,
            attendance.recorded_by) == (region.anna, the_meeting, "present", "check_in",
                                        staff_member)


def test_the_code_is_kept_nowhere(client, session, staff_member, monkeypatch, caplog):
    set_now(monkeypatch, "2026-03-02 12:50")
    the_meeting = first_meeting(session)
    code = check_in.check_in_code(the_meeting)
    sign_in(client, staff_member)
    with caplog.at_level(logging.DEBUG):
        client.get(link(the_meeting))
        page = client.get(reverse("training:check-in")).content.decode()
    assert code not in page and check_in.display_code(code) not in page
    assert all(code not in str(value) for value in client.session.values())
    assert code not in caplog.text
    assert code not in redact(f"GET /i/{code}/ HTTP/1.1")


@pytest.mark.parametrize(("now", "words"), [
    ("2026-03-02 12:44", "Incheckningen öppnar kl. 12:45 den dagen, 15 minuter före start."),
    ("2026-03-02 15:01", "Den träffen är slut, så incheckningen är stängd."),
])
def test_outside_the_meeting_the_link_explains_and_records_nothing(
        client, session, staff_member, monkeypatch, now, words):
    set_now(monkeypatch, now)
    sign_in(client, staff_member)
    response = client.get(link(first_meeting(session)))
    assert response.status_code == 200
    text = response.content.decode()
    assert words in text and "Inget sparades." in text
    assert "modig_training_check_in" not in client.session
    client.post(reverse("training:check-in"), {"meeting": first_meeting(session).pk})
    assert not Attendance.objects.exists()


def test_a_code_from_another_meeting_says_which_meeting_it_is(client, session, staff_member,
                                                              monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:30")
    sign_in(client, staff_member)
    tomorrows = session.meetings.order_by("date").last()
    response = client.post(reverse("training:check-in"),
                           {"code": check_in.check_in_code(tomorrows)}, follow=True)
    text = response.content.decode()
    assert "Koden gäller ”Trygg i mobilen” 3 mars 2026 kl. 13:00–15:00." in text
    assert not Attendance.objects.exists()


def test_an_unknown_code_is_explained(client, session, staff_member, monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:30")
    response = client.get(reverse("training:check-in-link", kwargs={"code": "ABCD-EFGH"}))
    assert response.status_code == 404
    assert "Vi hittade ingen träff med den koden." in response.content.decode()
    sign_in(client, staff_member)
    response = client.post(reverse("training:check-in"), {"code": "ABCD-EFGH"})
    assert "Vi hittade ingen träff med den koden." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_typed_code_is_forgiven_case_and_spaces(client, region, session, staff_member,
                                                  monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:30")
    sign_in(client, staff_member)
    typed = check_in.display_code(check_in.check_in_code(first_meeting(session))).lower()
    client.post(reverse("training:check-in"), {"code": f" {typed.replace('-', ' ')} "})
    assert Attendance.objects.get().person == region.anna


def test_a_meeting_cannot_be_posted_without_its_code(client, session, staff_member,
                                                     monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:30")
    sign_in(client, staff_member)
    response = client.post(reverse("training:check-in"), {"meeting": first_meeting(session).pk},
                           follow=True)
    assert "Skanna QR-koden igen, eller skriv koden." in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_not_signed_up_is_told_before_tapping(client, region, session, monkeypatch):
    from conftest import make_user

    set_now(monkeypatch, "2026-03-02 13:30")
    user = make_user("cecilia@tjorn.example")
    user.person = region.cecilia
    user.save(update_fields=["person"])
    sign_in(client, user)
    client.get(link(first_meeting(session)))
    page = client.get(reverse("training:check-in")).content.decode()
    assert "Du är inte anmäld till kursen." in page
    assert "Jag är här" not in page
    client.post(reverse("training:check-in"), {"meeting": first_meeting(session).pk})
    assert not Attendance.objects.exists()


def test_an_account_without_a_person_is_sent_to_the_trainer(client, session, trainer,
                                                            monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:30")
    sign_in(client, trainer)
    client.get(link(first_meeting(session)))
    page = client.get(reverse("training:check-in")).content.decode()
    assert "Ditt konto är inte kopplat till personallistan." in page
    assert not Attendance.objects.exists()


def test_the_roll_call_shows_who_checked_in(client, region, session, staff_member, trainer,
                                            monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:10")
    services.check_in(first_meeting(session), region.anna, by=staff_member)
    sign_in(client, trainer)
    the_meeting = first_meeting(session)
    page = client.get(reverse("training:meeting-check-in-code",
                              args=[session.pk, the_meeting.pk])).content.decode()
    assert "1 person har checkat in." in page
    roll_call = client.get(reverse("training:meeting-roll-call",
                                   args=[session.pk, the_meeting.pk])).content.decode()
    assert "Anna Andersson <span class=\"tag\">Incheckad</span>" in roll_call
