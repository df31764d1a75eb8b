"""The welfare technology catalogue from data/welfare_technology.csv (see data/SOURCES.md)."""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data" / "welfare_technology.csv"

# DigComp 2.2 competences a care worker needs to use each category (our own judgement,
# explained in data/SOURCES.md).
COMPETENCES_BY_CATEGORY = {
    "safety_alarm": ["5.1", "4.2", "4.3", "2.1"],
    "mobile_safety_alarm": ["5.1", "4.2", "4.3", "2.1"],
    "remote_supervision": ["5.1", "4.2", "4.3"],
    "sensors": ["5.1", "4.2", "4.3"],
    "digital_lock": ["4.1", "5.1", "4.2"],
    "medication_dispenser": ["1.3", "5.1", "4.3"],
    "digital_signing": ["1.3", "2.6", "4.2", "5.1"],
    "mobile_documentation": ["1.3", "2.2", "4.2", "4.1"],
    "video_communication": ["2.1", "2.4", "2.5", "4.2"],
    "tablets_for_users": ["5.2", "2.1", "1.1", "4.1"],
    "e_commerce": ["5.2", "2.3", "1.1", "4.1"],
    "robotics": ["5.2", "5.3", "4.3"],
}


def rows() -> list[dict]:
    """The CSV rows, each with a unique `code` (the Swedish example's slug)."""
    with DATA.open(encoding="utf-8") as handle:
        return [{**row, "code": slugify(row["example_sv"])[:60]}
                for row in csv.DictReader(handle)]


def load_catalogue(apps) -> int:
    """Create (or complete) the catalogue; returns how many technologies were created."""
    Technology = apps.get_model("learning", "Technology")
    Competence = apps.get_model("competence", "Competence")
    digcomp = {c.code: c for c in Competence.objects.filter(framework__code="digcomp-2-2")}
    created = 0
    for row in rows():
        technology, was_created = Technology.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["example_sv"], "category": row["category"],
                      "description": ""},
        )
        created += was_created
        if was_created:
            technology.competences.set(
                [digcomp[code] for code in COMPETENCES_BY_CATEGORY.get(row["category"], [])
                 if code in digcomp])
    return created
