"""Compile every .po file under src/modig to .mo with polib (no GNU gettext needed)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the interface translations (.po to .mo)."

    def handle(self, *args, **options):
        count = 0
        for po_path in sorted(Path(settings.SRC_DIR).rglob("locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"Compiled {count} translation file(s).")
