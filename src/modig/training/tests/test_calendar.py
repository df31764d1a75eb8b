"""iCalendar files and feeds (issue 5, "an iCalendar file and feed per person and per
trainer"). The output is parsed by a small RFC 5545 reader written here: unfold, split
properties, unescape."""

import datetime

import pytest
from django.urls import reverse

from modig.training import calendar, services
from modig.training.models import CalendarFeed
from modig.training.tests.factories import make_course, make_session, meeting


def parse(text: str) -> list[dict]:
    """The VEVENTs of an iCalendar text as dicts; checks CRLF and line length on the way."""
    assert text.endswith("\r\n")
    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in raw_lines)
    lines = []
    for line in raw_lines:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = (value.replace("\\n", "\n").replace("\\,", ",")
                             .replace("\\;", ";").replace("\\\\", "\\"))
    return events


@pytest.fixture
def session(region, trainer):
    course = make_course(region.programme, title="Trygg i mobilen, del 1; grund",
                         description="Rad ett\nRad två med ett väldigt långt ord " * 4)
    return make_session(course, trainer=trainer, place="Vikadamm, samlingssalen",
                        meetings=[meeting(datetime.date.today(), "13:00", "15:00"),
                                  meeting("2099-01-20", "09:00", "10:00")])


def test_a_session_file_has_one_event_per_meeting_in_utc(login, staff_member, session):
    response = login(staff_member).get(reverse("training:session-ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse(response.content.decode())
    assert len(events) == 2
    summer = events[1]  # 20 January is winter time: 09:00 in Stockholm is 08:00 UTC
    assert (summer["DTSTART"], summer["DTEND"]) == ("20990120T080000Z", "20990120T090000Z")
    assert events[0]["SUMMARY"] == "Trygg i mobilen, del 1; grund"
    assert events[0]["LOCATION"] == "Vikadamm, samlingssalen"
    assert events[0]["UID"] != events[1]["UID"]
    assert "Rad ett\nRad två" in events[0]["DESCRIPTION"]


def test_a_cancelled_session_is_sent_as_cancelled(login, staff_member, session):
    services.cancel_session(session, by=None)
    events = parse(login(staff_member).get(
        reverse("training:session-ics", args=[session.pk])).content.decode())
    assert {e["STATUS"] for e in events} == {"CANCELLED"}


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "å" * 100
    folded = calendar.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_persons_feed_has_their_places_only(client, region, session):
    other = make_session(make_course(region.programme, title="Annat"),
                         meetings=[meeting("2099-02-01")])
    services.enrol(session, region.anna, by=None, source="self")
    services.enrol(other, region.bertil, by=None, source="self")
    feed = calendar.feed_for(person=region.anna)
    response = client.get(reverse("training:calendar-feed",
                                  args=[calendar.feed_token(feed.salt)]))
    assert response.status_code == 200  # no log-in: the token is the key
    assert {e["SUMMARY"] for e in parse(response.content.decode())} == {
        "Trygg i mobilen, del 1; grund"}


def test_a_trainers_feed_has_the_sessions_they_teach(client, trainer, session, region):
    make_session(make_course(region.programme, title="Annat"))
    feed = calendar.feed_for(trainer=trainer)
    events = parse(client.get(reverse("training:calendar-feed",
                                      args=[calendar.feed_token(feed.salt)])).content.decode())
    assert len(events) == 2
    assert {e["SUMMARY"] for e in events} == {"Trygg i mobilen, del 1; grund"}


def test_only_the_tokens_digest_is_stored_and_a_new_address_stops_the_old(client, region):
    feed = calendar.feed_for(person=region.anna)
    token = calendar.feed_token(feed.salt)
    stored = CalendarFeed.objects.values_list("salt", "token_digest").get()
    assert token not in stored
    assert calendar.feed_for(person=region.anna).pk == feed.pk  # the same address again
    calendar.feed_for(person=region.anna, renew=True)
    url = reverse("training:calendar-feed", args=[token])
    assert client.get(url).status_code == 404


def test_the_calendar_page_shows_the_address_and_makes_a_new_one(login, staff_member, region):
    client = login(staff_member)
    page = client.get(reverse("training:calendar")).content.decode()
    token = calendar.feed_token(CalendarFeed.objects.get(person=region.anna).salt)
    assert token in page
    client.post(reverse("training:calendar-renew"), {"kind": "person"})
    assert calendar.find_feed(token) is None
