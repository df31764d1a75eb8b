"""Participants confirm their own attended time on "Min utbildning" (issue 5, "Attendance",
ESF): "Jag intygar att jag deltog i 3 tim", recorded with the time; a correction afterwards
asks for a new confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from modig.training import services
from modig.training.models import AttendanceCertification, Enrolment
from modig.training.services import RollCallRow
from modig.training.tests.factories import make_course, make_session, meeting

MY = reverse("training:my-training")


@pytest.fixture
def session(region, trainer, monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    session = make_session(make_course(region.programme, title="Video med anhöriga"),
                           trainer=trainer, meetings=[meeting("2026-03-02", "09:00", "11:00"),
                                                      meeting("2026-03-09", "09:00", "10:30")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    first, second = session.meetings.all()
    services.record_roll_call(first, [RollCallRow(region.anna.pk, "present")], by=trainer)
    services.record_roll_call(second, [RollCallRow(region.anna.pk, "partial", 60)],
                              by=trainer)
    return session


def certify_url(session):
    return reverse("training:session-certify", args=[session.pk])


def test_the_person_confirms_the_time_shown(client, region, session, staff_member):
    sign_in(client, staff_member)
    page = client.get(MY).content.decode()
    assert "Jag intygar att jag deltog i 3 tim" in page
    response = client.post(certify_url(session), {"minutes": 180}, follow=True)
    text = response.content.decode()
    assert "Tack. Din tid för ”Video med anhöriga” är bekräftad." in text
    assert "Bekräftad 9 mars 2026." in text
    assert "Jag intygar" not in text
    certification = AttendanceCertification.objects.get()
    assert (certification.person, certification.certified_minutes,
            certification.certified_by_user) == (region.anna, 180, staff_member)
    assert certification.certified_at == timezone.now()


def test_a_correction_after_confirming_asks_again(client, region, session, staff_member,
                                                  trainer):
    sign_in(client, staff_member)
    client.post(certify_url(session), {"minutes": 180})
    services.record_roll_call(session.meetings.last(), [RollCallRow(region.anna.pk, "present")],
                              by=trainer)
    page = client.get(MY).content.decode()
    assert "Din tid har ändrats sedan du bekräftade den. Bekräfta igen." in page
    assert "Jag intygar att jag deltog i 3 tim 30 min" in page
    client.post(certify_url(session), {"minutes": 210})
    assert AttendanceCertification.objects.get().certified_minutes == 210


def test_a_time_that_changed_after_the_page_was_shown_is_not_confirmed(
        client, session, staff_member):
    sign_in(client, staff_member)
    response = client.post(certify_url(session), {"minutes": 120}, follow=True)
    assert "Din registrerade tid för tillfället har just ändrats." in response.content.decode()
    assert not AttendanceCertification.objects.exists()


def test_only_sessions_the_person_attended_can_be_confirmed(client, region, trainer,
                                                            staff_member, session):
    other = make_session(make_course(region.programme), trainer=trainer,
                         meetings=[meeting("2026-03-02", "13:00", "14:00")])
    sign_in(client, staff_member)
    assert client.post(certify_url(other), {"minutes": 60}).status_code == 404
    sign_in(client, trainer)  # no person of their own
    assert client.post(certify_url(session), {"minutes": 180}).status_code == 403
    assert not AttendanceCertification.objects.exists()
