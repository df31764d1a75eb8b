"""Fill empty msgstr entries of a .po file from a JSON object {msgid: msgstr}.

Plural entries take a list of two strings. Usage: python scripts/po_fill.py FILE.po FILE.json
Entries the JSON does not name are listed, so nothing untranslated goes unnoticed.
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> int:
    po = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        value = translations.get(entry.msgid)
        if "fuzzy" in entry.flags:
            # makemessages' guess from a similar message: usually wrong ("Remove" came out as
            # "Fjärr, live"). Drop it, so the entry is filled from the JSON or shows as missing.
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
            entry.msgstr = ""
            entry.msgstr_plural = {key: "" for key in entry.msgstr_plural}
        if entry.msgid_plural:
            if value:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            elif not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif value:
            entry.msgstr = value
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
