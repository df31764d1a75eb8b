"""Printed letters: one page per person, the short code and the QR link on each."""

import re
import zlib

import pytest

from modig.organisation.models import Person
from modig.surveys import tokens
from modig.surveys.invitations import invite_population, letter_secrets
from modig.surveys.letters import letters_pdf, letters_to_print, record_printed
from modig.surveys.models import Delivery, Invitation
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def page_text(pdf: bytes) -> bytes:
    """Every content stream, inflated (the short code is set in a core font, so it is there
    as plain characters)."""
    # Up to "endstream" with the line end in: a compressed stream may itself end in b"\r",
    # which a pattern taking an optional "\r\n" before "endstream" would cut off (the zlib
    # data then failed to inflate, about once in 256 streams). A decompressor object stops at
    # the end of the zlib data and leaves the line end over.
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    text = b""
    for stream in streams:
        try:
            text += zlib.decompressobj().decompress(stream)
        except zlib.error:
            text += stream
    return text


def test_one_page_per_person_with_their_code(region):
    Person.objects.update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    letters = list(letters_to_print(round_, Invitation.objects.all()))
    assert len(letters) == 4
    pdf = letters_pdf(letters)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 4
    text = page_text(pdf)
    for invitation in letters:
        _token, code = letter_secrets(invitation)
        assert tokens.display_short_code(code).encode() in text
    # The Swedish font is embedded (å, ä and ö print).
    assert b"DejaVu" in pdf


def test_only_letter_people_unless_everyone_and_never_those_who_answered(region):
    Person.objects.update(email="x@example.com")
    Person.objects.filter(pk=region.cecilia.pk).update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    everyone = Invitation.objects.filter(round=round_)
    assert [i.person for i in letters_to_print(round_, everyone)] == [region.cecilia]
    assert letters_to_print(round_, everyone, everyone=True).count() == 4
    everyone.filter(person=region.anna).update(submitted_at="2026-01-01T10:00Z")
    assert letters_to_print(round_, everyone, everyone=True).count() == 3


def test_printing_is_logged_and_counts_as_sent(region):
    Person.objects.update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    letters = list(letters_to_print(round_, Invitation.objects.all()))
    record_printed(letters)
    assert Delivery.objects.filter(channel=Invitation.Channel.LETTER).count() == 4
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


def pdf_url(round_, **params):
    from urllib.parse import urlencode

    from django.urls import reverse
    return reverse("surveys:round-letters-pdf", kwargs={"pk": round_.pk}) + "?" + urlencode(
        params)


def test_unit_manager_prints_their_units_letters_in_one_go(region, unit_manager, login):
    from modig.accounts.models import AccessLogEntry

    Person.objects.update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    client = login(unit_manager)
    response = client.get(pdf_url(round_, enhet=region.nodinge.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert page_count(response.content) == 3  # Anna, Bertil, Dana (placed at Vikadamm)
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT)
    assert entry.user == unit_manager and "3 pages" in entry.detail
    # Not another municipality's unit, and not a whole municipality.
    assert client.get(pdf_url(round_, enhet=region.solgarden.pk)).status_code == 404
    assert client.get(pdf_url(round_, kommun=region.ale.code)).status_code == 404


def test_coordinator_prints_a_municipality_and_everyone_option(region, coordinator, login):
    Person.objects.update(email="x@example.com")
    Person.objects.filter(pk=region.bertil.pk).update(email="", mobile="")
    round_ = make_round(region.programme)
    invite_population(round_)
    client = login(coordinator)
    assert page_count(client.get(pdf_url(round_, kommun=region.ale.code)).content) == 1
    everyone = client.get(pdf_url(round_, kommun=region.ale.code, everyone="on"))
    assert page_count(everyone.content) == 3
    assert client.get(pdf_url(round_, kommun=region.tjorn.code)).status_code == 404
    page = client.get(pdf_url(round_, enhet=region.solgarden.pk))
    assert page.status_code == 404


def test_nothing_to_print_says_so(region, coordinator, login):
    round_ = make_round(region.programme)
    invite_population(round_)
    Invitation.objects.update(channel=Invitation.Channel.EMAIL)
    response = login(coordinator).get(pdf_url(round_, kommun=region.ale.code), follow=True)
    assert response.status_code == 200
    assert "inga brev att skriva ut" in response.content.decode()


def test_the_qr_code_drawn_is_the_link(region):
    """Rebuild the module grid from the rectangles drawn and compare it with the QR code of
    the link (the same bits a phone camera reads)."""
    import segno

    from modig.surveys.letters import _draw_qr

    class Canvas:
        def __init__(self):
            self.cells = set()

        def set_fill_color(self, *rgb):
            assert rgb == (0, 0, 0)

        def rect(self, x, y, w, h, style):
            row, start, length = round(y / 2), round(x / 2), round(w / 2)
            self.cells.update((row, c) for c in range(start, start + length))

    url = "https://modig.example.se/s/abcdefghijklmnopqrstuvwxyz012345/"
    expected_rows = [list(row) for row in segno.make(url, error="m").matrix_iter(border=4)]
    canvas = Canvas()
    _draw_qr(canvas, url, x=0, y=0, size=2 * len(expected_rows))
    expected = {(r, c) for r, row in enumerate(expected_rows) for c, dark in enumerate(row)
                if dark}
    assert canvas.cells == expected
