"""The training pages lead to each other: a session page offers roll call, the check-in code
and a report import per meeting to those who take attendance, and a course page offers group
formation to those who may form groups; nobody else sees these links."""

import pytest
from django.urls import reverse

from conftest import sign_in
from modig.training.tests.factories import make_course, make_session, meeting


@pytest.fixture
def session(region, trainer):
    course = make_course(region.programme, title="Dokumentera i mobilen")
    return make_session(course, municipality=region.ale, trainer=trainer,
                        meetings=[meeting("2026-03-02"), meeting("2026-03-09")])


def attendance_links(session) -> list[str]:
    links = []
    for meeting_ in session.meetings.all():
        for name in ("meeting-roll-call", "meeting-check-in-code", "attendance-import-upload"):
            links.append(reverse(f"training:{name}", args=[session.pk, meeting_.pk]))
    return links


def test_the_trainer_finds_every_meetings_attendance_pages_on_the_session_page(client, session,
                                                                                trainer):
    sign_in(client, trainer)
    page = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    links = attendance_links(session)
    assert len(links) == 6
    for link in links:
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200


def test_a_staff_member_sees_no_attendance_links(client, session, staff_member):
    sign_in(client, staff_member)
    page = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert not any(link in page for link in attendance_links(session))


@pytest.mark.parametrize(("persona", "offered"), [("coordinator", True), ("unit_manager", False),
                                                   ("staff_member", False)])
def test_group_formation_is_offered_on_the_course_page_to_those_who_may(client, session, request,
                                                                        persona, offered):
    sign_in(client, request.getfixturevalue(persona))
    course = session.course
    page = client.get(reverse("training:course-detail", args=[course.code])).content.decode()
    link = f'{reverse("training:grouping-create")}?kurs={course.code}'
    assert (link in page) is offered


def test_a_self_paced_course_page_offers_the_person_to_say_it_is_done(client, region,
                                                                      staff_member):
    from modig.training.models import Course

    course = make_course(region.programme, title="Säkra lösenord", format=Course.Format.SELF_PACED)
    on_site = make_course(region.programme, title="Videosamtal")
    sign_in(client, staff_member)
    done = reverse("training:course-completion", args=[course.code])
    assert f'href="{done}"' in client.get(
        reverse("training:course-detail", args=[course.code])).content.decode()
    assert "klar/" not in client.get(
        reverse("training:course-detail", args=[on_site.code])).content.decode()


def test_a_persons_history_is_empty_before_any_course_exists(region):
    from modig.training import ledger

    assert list(ledger.person_history(region.anna)) == []
