"""A PDF certificate per completed course (issue 5, "Hours ledger"): a completed distance course
or a session attended at every meeting; hours from the ledger; å, ä and ö as text."""

import contextlib
import datetime
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from modig.training import certificates, records, services
from modig.training.models import Course, Enrolment
from modig.training.services import RollCallRow
from modig.training.tests.factories import make_course, make_session, meeting


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Every object of the PDF: number -> (dictionary text, inflated stream or b"")."""
    objects = {}
    for number, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S):
        head, _sep, rest = body.partition(b"stream")
        stream = b""
        if _sep:
            # Cut at "endstream" only: the zlib data may itself end in b"\r" or other white
            # space, which stripping the line end cut off (then it failed to inflate). A
            # decompressor object stops at the end of the zlib data, leaving the line end.
            stream = re.sub(rb"^\r?\n", b"", rest.rpartition(b"endstream")[0])
            with contextlib.suppress(zlib.error):
                stream = zlib.decompressobj().decompress(stream)
        objects[int(number)] = (head, stream)
    return objects


def _unicode_map(cmap: bytes) -> dict[int, str]:
    glyphs = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, char in re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", block):
            glyphs[int(code, 16)] = chr(int(char, 16))
    return glyphs


def pdf_text(pdf: bytes) -> str:
    """The text shown on the pages, one line per string drawn. fpdf2 writes each string as
    two-byte glyph numbers with a ToUnicode map per font: read each font's map (page
    resources -> font -> ToUnicode), then every (…) Tj string through the current font's."""
    objects = _objects(pdf)
    maps = {}
    for head, _stream in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", head):
            font_head = objects[int(number)][0]
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font_head)
            if to_unicode:
                maps[name] = _unicode_map(objects[int(to_unicode.group(1))][1])
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    lines = []
    for _head, stream in objects.values():
        font = None
        for name, literal in re.findall(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj",
                                        stream, re.S):
            if name:
                font = name
                continue
            raw = re.sub(rb"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), literal,
                         flags=re.S)
            glyphs = maps.get(font, {})
            lines.append("".join(glyphs.get(int.from_bytes(raw[i:i + 2], "big"), "?")
                                 for i in range(0, len(raw) - 1, 2)))
    return "\n".join(lines)


@pytest.fixture
def now(monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_completed_distance_course_gets_a_certificate_with_its_hours(region, now):
    region.anna.first_name = "Åsa"
    region.anna.save()
    course = make_course(region.programme, title="Säker inloggning på jobbet",
                         format=Course.Format.SELF_PACED, nominal_minutes=150)
    services.complete_distance_course(course, region.anna,
                                      completed_on=datetime.date(2026, 3, 5), by=None,
                                      confirmed_as="self")
    certificate = records.certificate_for(region.anna, course)
    assert certificate.minutes == 150
    pdf = certificates.certificate_pdf(certificate, issued_on=datetime.date(2026, 3, 9))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for words in ("Intyg", "Härmed intygas att", "Åsa Andersson", "Säker inloggning på jobbet",
                  "Form: Distans i egen takt", "När: 5 mars 2026", "Utbildningstid: 2 tim 30 min",
                  "Göteborgsregionen", "Utfärdat 9 mars 2026."):
        assert words in text, (words, text)


def test_a_session_attended_at_every_meeting_gets_one(region, trainer, now):
    course = make_course(region.programme, title="Trygg i mobilen")
    session = make_session(course, trainer=trainer, meetings=[
        meeting("2026-03-02", "09:00", "11:00"), meeting("2026-03-09", "09:00", "11:00")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    first, second = session.meetings.all()
    services.record_roll_call(first, [RollCallRow(region.anna.pk, "present")], by=trainer)
    assert records.certificate_for(region.anna, course) is None  # one meeting still to go
    services.record_roll_call(second, [RollCallRow(region.anna.pk, "absent")], by=trainer)
    assert records.certificate_for(region.anna, course) is None  # absent at one
    services.record_roll_call(second, [RollCallRow(region.anna.pk, "partial", 30)],
                              by=trainer)
    certificate = records.certificate_for(region.anna, course)
    assert certificate.minutes == 150
    text = pdf_text(certificates.certificate_pdf(certificate, issued_on=timezone.localdate()))
    assert "När: 2 mars 2026 till 9 mars 2026" in text
    assert "Utbildningstid: 2 tim 30 min" in text


def test_the_person_downloads_their_own_certificate_only(client, region, staff_member, now):
    course = make_course(region.programme, format=Course.Format.SELF_PACED)
    other = make_course(region.programme, format=Course.Format.SELF_PACED)
    services.complete_distance_course(course, region.anna, completed_on=datetime.date(2026, 3, 5),
                                      by=None, confirmed_as="self")
    services.complete_distance_course(other, region.bertil,
                                      completed_on=datetime.date(2026, 3, 5), by=None,
                                      confirmed_as="self")
    sign_in(client, staff_member)
    response = client.get(reverse("training:certificate", args=[course.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="intyg-{course.code}.pdf"' in response["Content-Disposition"]
    assert "Anna Andersson" in pdf_text(response.content)
    # Bertil's course is not Anna's: no certificate.
    assert client.get(reverse("training:certificate", args=[other.code])).status_code == 404
    page = client.get(reverse("training:my-training")).content.decode()
    assert reverse("training:certificate", args=[course.code]) in page
