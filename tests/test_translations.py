"""The interface is Swedish first: every message in every catalogue has a translation."""

from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "modig"
CATALOGUES = sorted(SRC.rglob("locale/sv/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_per_app_with_text():
    assert len(CATALOGUES) >= 3


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
