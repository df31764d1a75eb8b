"""Catalogue pages (issue 5, "Catalogue"): search and filters, a course page a care worker can
read, courses and sessions created and changed through the forms."""

import datetime

import pytest
from django.urls import reverse

from modig.organisation.models import TargetGroup
from modig.training.models import Course, Meeting, Session
from modig.training.tests.factories import make_course, make_session, meeting


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def courses(region):
    base = TargetGroup.objects.get(code=TargetGroup.Code.BASE_STAFF)
    managers = TargetGroup.objects.get(code=TargetGroup.Code.OPERATIONAL_MANAGER)
    return {
        "docs": make_course(region.programme, title="Digital dokumentation",
                           description="Skriv journal i mobilen.", target_groups=[base]),
        "lead": make_course(region.programme, title="Leda digital förändring",
                           format=Course.Format.REMOTE_LIVE, target_groups=[managers]),
        "apps": make_course(region.programme, title="Appar i vardagen",
                            format=Course.Format.SELF_PACED, nominal_minutes=45),
        "tjorn": make_course(region.programme, title="Tjörns välfärdsteknik",
                             municipality=region.tjorn),
    }


def test_the_catalogue_lists_the_courses_the_user_may_see(login, staff_member, courses):
    page = _page(login(staff_member).get(reverse("training:course-list")))
    assert "Digital dokumentation" in page and "Appar i vardagen" in page
    assert "Tjörns välfärdsteknik" not in page


def test_search_and_filters_narrow_the_catalogue(login, programme_admin, courses, region):
    client = login(programme_admin)
    url = reverse("training:course-list")
    page = _page(client.get(url, {"q": "journal"}))
    assert "Digital dokumentation" in page and "Leda digital" not in page
    page = _page(client.get(url, {"format": "self_paced"}))
    assert "Appar i vardagen" in page and "Digital dokumentation" not in page
    managers = TargetGroup.objects.get(code=TargetGroup.Code.OPERATIONAL_MANAGER)
    page = _page(client.get(url, {"malgrupp": managers.pk}))
    assert "Leda digital förändring" in page and "Appar" not in page
    page = _page(client.get(url, {"kommun": region.ale.code}))
    assert "Tjörns välfärdsteknik" not in page and "Appar i vardagen" in page


def test_the_catalogue_shows_the_next_meeting(login, staff_member, courses):
    make_session(courses["docs"], meetings=[meeting("2099-05-04")])
    page = _page(login(staff_member).get(reverse("training:course-list")))
    assert "4 maj" in page


def test_a_course_page_shows_its_sessions_with_free_places(login, staff_member, courses,
                                                           region):
    session = make_session(courses["docs"], capacity=3, place="Vikadamm, samlingssalen",
                           meetings=[meeting("2099-05-04", "13:00", "15:00")])
    past = make_session(courses["docs"], meetings=[meeting("2020-01-02")])
    from modig.training import services
    services.enrol(session, region.bertil, by=None, source="self")
    page = _page(login(staff_member).get(
        reverse("training:course-detail", args=[courses["docs"].code])))
    assert "Skriv journal i mobilen." in page
    assert "2 lediga platser" in page
    assert "samlingssalen" in page and "13.00–15.00" in page
    assert "Anmäl mig" in page
    assert reverse("training:session-detail", args=[past.pk]) not in page


def test_a_programme_admin_creates_a_course(login, programme_admin, region):
    ambassadors = TargetGroup.objects.get(code=TargetGroup.Code.AMBASSADOR)
    response = login(programme_admin).post(reverse("training:course-create"), {
        "programme": region.programme.pk, "code": "handledare", "title": "Handledarutbildning",
        "description": "För digitaliseringsombud.", "format": "blended",
        "nominal_minutes": "240", "prerequisite_level": "3",
        "target_groups": [ambassadors.pk], "is_published": "on",
    })
    assert response.status_code == 302
    course = Course.objects.get(code="handledare")
    assert (course.format, course.nominal_minutes, course.prerequisite_level) == (
        "blended", 240, 3)
    assert list(course.target_groups.all()) == [ambassadors]
    assert course.created_by == programme_admin and course.municipality is None


def test_a_coordinator_creates_only_local_courses_of_their_municipality(
        login, coordinator, region):
    client = login(coordinator)
    data = {"programme": region.programme.pk, "code": "lokal", "title": "Lokal kurs",
            "format": "on_site", "nominal_minutes": "60"}
    page = _page(client.post(reverse("training:course-create"), data))  # no municipality
    assert "Ale" in page and Course.objects.count() == 0
    bad = client.post(reverse("training:course-create"),
                      {**data, "municipality": region.tjorn.pk})
    assert bad.status_code == 200 and Course.objects.count() == 0
    client.post(reverse("training:course-create"), {**data, "municipality": region.ale.pk})
    assert Course.objects.get().municipality == region.ale


def test_a_duplicate_code_is_refused_with_a_swedish_message(login, programme_admin, courses,
                                                            region):
    page = _page(login(programme_admin).post(reverse("training:course-create"), {
        "programme": region.programme.pk, "code": courses["docs"].code, "title": "Kopia",
        "format": "on_site", "nominal_minutes": "60"}))
    assert "En annan kurs har redan den här koden" in page
    assert Course.objects.filter(title="Kopia").count() == 0


def test_editing_a_course_keeps_what_was_not_changed(login, programme_admin, courses, region):
    course = courses["docs"]
    client = login(programme_admin)
    form_page = _page(client.get(reverse("training:course-edit", args=[course.code])))
    assert "Digital dokumentation" in form_page
    client.post(reverse("training:course-edit", args=[course.code]), {
        "programme": region.programme.pk, "code": course.code, "title": "Dokumentation 2",
        "description": course.description, "format": "on_site", "nominal_minutes": "90",
        "target_groups": [t.pk for t in course.target_groups.all()], "is_published": "on"})
    course.refresh_from_db()
    assert (course.title, course.nominal_minutes) == ("Dokumentation 2", 90)
    assert course.target_groups.count() == 1


def _session_post(**overrides):
    data = {"label": "Höstgrupp", "capacity": "12", "group_level": "small_group",
            "place": "Nödinge", "traff-TOTAL_FORMS": "3", "traff-INITIAL_FORMS": "0",
            "traff-0-date": "2099-03-02", "traff-0-starts_at": "09:00",
            "traff-0-ends_at": "11:00", "traff-1-date": "2099-03-09",
            "traff-1-starts_at": "09:00", "traff-1-ends_at": "10:30"}
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_session_with_meetings(login, coordinator, courses, region):
    response = login(coordinator).post(
        reverse("training:session-create", args=[courses["docs"].code]),
        _session_post(municipality=region.ale.pk))
    session = Session.objects.get()
    assert response.headers["Location"] == reverse("training:session-detail",
                                                   args=[session.pk])
    assert (session.capacity, session.group_level, session.municipality) == (
        12, "small_group", region.ale)
    assert [m.minutes for m in session.meetings.all()] == [120, 90]


def test_a_session_form_shows_empty_rows_for_new_meetings(login, coordinator, courses):
    page = _page(login(coordinator).get(
        reverse("training:session-create", args=[courses["docs"].code])))
    assert 'name="traff-1-date"' in page and 'type="date"' in page


def test_overlapping_meetings_are_refused_and_nothing_is_saved(login, coordinator, courses,
                                                               region):
    page = _page(login(coordinator).post(
        reverse("training:session-create", args=[courses["docs"].code]),
        _session_post(municipality=region.ale.pk, **{"traff-1-date": "2099-03-02",
                                                    "traff-1-starts_at": "10:00"})))
    assert "går in i varandra" in page
    assert not Session.objects.exists()


def test_a_half_filled_meeting_row_is_an_error(login, coordinator, courses, region):
    page = _page(login(coordinator).post(
        reverse("training:session-create", args=[courses["docs"].code]),
        _session_post(municipality=region.ale.pk, **{"traff-2-date": "2099-04-01"})))
    assert "Skriv datum, start och slut." in page
    assert not Session.objects.exists()


def test_editing_a_session_changes_removes_and_adds_meetings(login, coordinator, courses,
                                                             region):
    session = make_session(courses["docs"], municipality=region.ale,
                           meetings=[meeting("2099-03-02"), meeting("2099-03-09")])
    first, second = session.meetings.all()
    login(coordinator).post(reverse("training:session-edit", args=[session.pk]), _session_post(
        municipality=region.ale.pk, capacity="20",
        **{"traff-TOTAL_FORMS": "3", "traff-INITIAL_FORMS": "2",
           "traff-0-id": first.pk, "traff-0-date": "2099-03-02", "traff-0-starts_at": "10:00",
           "traff-0-ends_at": "11:00",
           "traff-1-id": second.pk, "traff-1-delete": "on",
           "traff-2-date": "2099-03-16", "traff-2-starts_at": "09:00",
           "traff-2-ends_at": "10:00"}))
    session.refresh_from_db()
    assert session.capacity == 20
    assert list(session.meetings.values_list("date", "starts_at")) == [
        (datetime.date(2099, 3, 2), datetime.time(10)),
        (datetime.date(2099, 3, 16), datetime.time(9))]
    assert Meeting.objects.filter(pk=first.pk).exists()
