"""DigComp 2.2, the default framework, loaded from organisation/data/digcomp22.json."""

import json

from modig.organisation.reference import DATA_DIR

DIGCOMP_CODE = "digcomp-2-2"


def read_digcomp() -> dict:
    with (DATA_DIR / "digcomp22.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def load_digcomp(apps=None):
    """Create or update DigComp 2.2 (5 areas, 21 competences, 8 levels) as the default."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Framework = apps.get_model("competence", "Framework")
    CompetenceArea = apps.get_model("competence", "CompetenceArea")
    Competence = apps.get_model("competence", "Competence")
    ProficiencyLevel = apps.get_model("competence", "ProficiencyLevel")
    data = read_digcomp()
    has_default = Framework.objects.filter(is_default=True).exclude(code=DIGCOMP_CODE).exists()
    framework, _created = Framework.objects.update_or_create(
        code=DIGCOMP_CODE,
        defaults={
            "title_sv": "DigComp 2.2 – ramverket för digital kompetens",
            "title_en": "DigComp 2.2 – The Digital Competence Framework for Citizens",
            "version": "2.2",
            "source": f"{data['publisher']}, {data['jrc_id']}, doi:{data['doi']}",
            "is_default": not has_default,
        },
    )
    areas = {}
    for position, area in enumerate(data["areas"], start=1):
        areas[area["id"]], _ = CompetenceArea.objects.update_or_create(
            framework=framework, code=area["id"],
            defaults={"title_sv": area["title_sv"], "title_en": area["title_en"],
                      "position": position},
        )
    for position, competence in enumerate(data["competences"], start=1):
        Competence.objects.update_or_create(
            framework=framework, code=competence["id"],
            defaults={"area": areas[competence["area"]], "title_sv": competence["title_sv"],
                      "title_en": competence["title_en"], "position": position},
        )
    groups = {group["id"]: group for group in data["level_groups"]}
    for level in data["proficiency_levels"]:
        group = groups[level["group"]]
        ProficiencyLevel.objects.update_or_create(
            framework=framework, level=level["level"],
            defaults={
                "group_code": group["id"],
                "title_sv": f"Nivå {level['level']} – {group['title_sv']}",
                "title_en": f"Level {level['level']} – {group['title_en']}",
                "description": f"{level['task_complexity']}; {level['autonomy']}; "
                               f"{level['cognitive_domain']}",
            },
        )
    return framework
