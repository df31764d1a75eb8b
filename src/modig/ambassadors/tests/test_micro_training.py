"""Micro-trainings: an ambassador makes a short local course from a template, it is in the
catalogue, its attendance counts in the ledger, and bad input saves nothing."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from modig.ambassadors.tests.factories import make_ambassador
from modig.organisation.tests.factories import make_unit
from modig.training import ledger
from modig.training import services as training_services
from modig.training.models import Course, Meeting, Session

NEW = reverse("ambassadors:micro-training")


@pytest.fixture
def ella(region):
    return make_ambassador(region)


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _post(region, **changes):
    data = {"idempotency_key": str(uuid.uuid4()), "template": "videosamtal",
            "title": "", "unit": region.vikadamm.pk, "date": _tomorrow(),
            "starts_at": "14:00", "minutes": "45", "capacity": "6"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_offers_the_templates_and_the_ambassadors_unit(region, ella, login):
    page = login(ella[0]).get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Videosamtal med anhöriga" in html and "Läkemedelsrobot" in html
    assert "Vikadamm boende" in html and "Ny mikroutbildning" in html
    assert "Solgården" not in html
    assert "ambassadors/coaching.css" in html and "<script>" not in html


def test_a_micro_training_is_a_published_local_course_with_one_session(region, ella, login):
    client = login(ella[0])
    response = client.post(NEW, _post(region, title="Videosamtal på Vikadamm"))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session-detail", args=[session.pk])
    course = session.course
    assert course.title == "Videosamtal på Vikadamm" and course.is_published
    assert course.format == Course.Format.ON_SITE and course.nominal_minutes == 45
    assert course.programme == region.programme and course.municipality == region.ale
    assert sorted(course.competences.values_list("code", flat=True)) == ["2.1", "4.2"]
    assert list(course.target_groups.values_list("code", flat=True)) == ["base_staff"]
    assert session.trainer == ella[0] and session.capacity == 6
    assert session.place == "Vikadamm boende"
    only = session.meetings.get()
    assert (only.starts_at, only.ends_at) == (datetime.time(14, 0), datetime.time(14, 45))
    catalogue = client.get(reverse("training:course-list"))
    assert "Videosamtal på Vikadamm" in catalogue.content.decode()
    assert client.get(reverse("training:session-detail", args=[session.pk])).status_code == 200


def test_an_empty_length_takes_the_templates_and_title_too(region, ella, login):
    login(ella[0]).post(NEW, _post(region, template="lakemedelsrobot", minutes=""))
    course = Course.objects.get()
    assert course.title == "Läkemedelsrobot: larm och påfyllning"
    assert course.nominal_minutes == 60


def test_attendance_on_it_counts_in_the_ledger(region, ella, login):
    client = login(ella[0])
    client.post(NEW, _post(region))
    session = Session.objects.get()
    meeting = session.meetings.get()
    # The meeting has taken place: move it to yesterday.
    Meeting.objects.filter(pk=meeting.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=1))
    training_services.enrol(session, region.anna, by=None, source="self")
    roll_call = reverse("training:meeting-roll-call", args=[session.pk, meeting.pk])
    assert client.get(roll_call).status_code == 200  # the trainer takes the roll call
    training_services.record_attendance(Meeting.objects.get(pk=meeting.pk), region.anna,
                                        status="present", minutes=None, by=ella[0],
                                        source="roll_call")
    total = ledger.totals(region.programme)
    assert (total.people, total.minutes) == (1, 45)


@pytest.mark.parametrize(("changes", "message"), [
    ({"template": None}, "Välj en mall."),
    ({"template": "inget"}, "Välj en av mallarna."),
    ({"date": "2020-01-01"}, "Datumet har passerat"),
    ({"minutes": "500"}, "mellan 15 och 120 minuter"),
    ({"minutes": "5"}, "mellan 15 och 120 minuter"),
    ({"capacity": "0"}, "minst 1"),
    ({"starts_at": "23:30"}, "samma dag"),
])
def test_bad_input_is_refused_in_swedish_and_nothing_saved(region, ella, login, changes,
                                                           message):
    response = login(ella[0]).post(NEW, _post(region, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Course.objects.exists() and not Session.objects.exists()


def test_a_unit_the_ambassador_does_not_cover_is_refused(region, ella, login):
    other = make_unit(region.ale, "Backa boende", parent=region.nodinge)
    for unit in (other, region.solgarden):
        response = login(ella[0]).post(NEW, _post(region, unit=unit.pk))
        assert response.status_code == 400
        assert "Du är inte ombud för den enheten" in response.content.decode()
    assert not Course.objects.exists()


def test_a_double_tap_makes_one_course(region, ella, login):
    client = login(ella[0])
    data = _post(region)
    first = client.post(NEW, data)
    second = client.post(NEW, data, follow=True)
    assert Course.objects.count() == 1 and Session.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "redan sparad" in second.content.decode()


def test_someone_without_an_appointment_is_refused(region, login, staff_member):
    assert login(staff_member).get(NEW).status_code == 403
    assert login(staff_member).post(NEW, _post(region)).status_code == 403
    assert not Course.objects.exists()


def test_a_municipality_outside_every_programme_is_told_whom_to_ask(region, ella, login):
    region.programme.municipalities.remove(region.ale)
    response = login(ella[0]).post(NEW, _post(region))
    assert response.status_code == 400
    assert "Fråga din samordnare" in response.content.decode()
    assert not Course.objects.exists()
