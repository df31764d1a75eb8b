"""Reference data shipped with Modig (copied from shared/domain, sources in data/SOURCES.md)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

OPERATION_AREAS = [
    ("elderly_care", "Äldreomsorg"),
    ("disability_support", "Funktionsstöd"),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps=None) -> None:
    """Create or update municipalities, occupations, operation areas and target groups."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Municipality = apps.get_model("organisation", "Municipality")
    Occupation = apps.get_model("organisation", "Occupation")
    OperationArea = apps.get_model("organisation", "OperationArea")
    TargetGroup = apps.get_model("organisation", "TargetGroup")
    for row in read_csv("municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "county_code": row["county_code"]}
        )
    for row in read_csv("occupations.csv"):
        Occupation.objects.update_or_create(
            ssyk_code=row["ssyk_code"],
            defaults={
                "title_sv": row["title_sv"],
                "title_en": row["title_en"],
                "staff_category": row["staff_category"],
            },
        )
    for code, name in OPERATION_AREAS:
        OperationArea.objects.update_or_create(code=code, defaults={"name": name})
    for code in ("strategist", "operational_manager", "local_project_leader", "ambassador",
                 "base_staff"):
        TargetGroup.objects.get_or_create(code=code)


def municipalities_in_modig() -> set[str]:
    """SCB codes of the municipalities that took part in the original ESF project."""
    return {row["code"] for row in read_csv("municipalities.csv") if row["in_modig"] == "true"}
