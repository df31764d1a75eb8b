"""Questionnaire services: the defaults, freezing, versions and every edit.

A questionnaire is editable until a round uses it. From then on the answers of that round
point at its items, so changing a text would change what people answered after the fact:
the questionnaire is frozen, and a change means a new version (version + 1, `previous` set),
which later rounds can use. Baseline and follow-up stay comparable because items in every
version are tied to the same competences.

Every edit goes through this module and refuses, with a message that says what to do, once
the questionnaire is frozen or used. Views only translate form input into these calls.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.competence.models import Competence
from modig.surveys import default_questionnaires as defaults
from modig.surveys.models import Item, Questionnaire

TEXT_FIELDS = ("title_sv", "title_en", "intro_sv", "intro_en")
ITEM_TEXT_FIELDS = ("text_sv", "text_en", "example_sv", "example_en")


def frozen_message() -> str:
    return _("This questionnaire is already used in a survey round and cannot be changed. "
             "Make a new version.")


# Defaults --------------------------------------------------------------------------------------

def load_default_questionnaires(apps=None) -> list:
    """Create version 1 of each default questionnaire that does not exist yet.

    Works with the historical models of a data migration (`apps`) as well as the live ones.
    An existing questionnaire with the same code is left alone: it may have been edited or
    used, and its answers must keep their meaning.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    framework_model = apps.get_model("competence", "Framework")
    competence_model = apps.get_model("competence", "Competence")
    questionnaire_model = apps.get_model("surveys", "Questionnaire")
    item_model = apps.get_model("surveys", "Item")
    framework = framework_model.objects.filter(code=defaults.FRAMEWORK_CODE).first()
    if framework is None:
        return []
    competences = {c.code: c for c in competence_model.objects.filter(framework=framework)}
    created = []
    for entry in defaults.DEFAULTS:
        if questionnaire_model.objects.filter(code=entry["code"]).exists():
            continue
        questionnaire = questionnaire_model.objects.create(
            code=entry["code"], version=1, framework=framework, audience=entry["audience"],
            title_sv=entry["title_sv"], title_en=entry["title_en"],
            intro_sv=entry["intro_sv"], intro_en=entry["intro_en"],
        )
        rows = []
        for background in defaults.BACKGROUND:
            rows.append(item_model(
                questionnaire=questionnaire, position=len(rows) + 1, kind="background",
                background_field=background["background_field"],
                text_sv=background["text_sv"], text_en=background["text_en"],
                example_sv=background["example_sv"], example_en=background["example_en"],
                choices=background["choices"],
            ))
        for item in entry["items"]:
            rows.append(item_model(
                questionnaire=questionnaire, position=len(rows) + 1, kind="rating",
                competence=competences[item["competence"]],
                text_sv=item["text_sv"], text_en=item["text_en"],
                example_sv=item["example_sv"], example_en=item["example_en"],
            ))
        item_model.objects.bulk_create(rows)
        created.append(questionnaire)
    return created


def add_default_follow_up_items(apps=None) -> list:
    """Give each default questionnaire its follow-up items (default_questionnaires.
    FOLLOW_UP_ITEMS) as a NEW version: the latest version's items copied, the follow-up
    items after them, `previous` set. A latest version that already has follow-up items is
    left alone (so this can run again), and so is every older version: rounds keep the
    frozen version they use. Works with a data migration's historical models (`apps`)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    questionnaire_model = apps.get_model("surveys", "Questionnaire")
    item_model = apps.get_model("surveys", "Item")
    created = []
    for entry in defaults.DEFAULTS:
        latest = (questionnaire_model.objects.filter(code=entry["code"])
                  .order_by("-version").first())
        if latest is None or item_model.objects.filter(questionnaire=latest,
                                                       kind="outcome").exists():
            continue
        copy = questionnaire_model.objects.create(
            code=latest.code, version=latest.version + 1, previous=latest,
            framework_id=latest.framework_id, audience=latest.audience,
            **{field: getattr(latest, field) for field in TEXT_FIELDS},
        )
        rows = [item_model(questionnaire=copy, position=position, kind=item.kind,
                           competence_id=item.competence_id,
                           background_field=item.background_field, choices=item.choices,
                           **{field: getattr(item, field) for field in ITEM_TEXT_FIELDS})
                for position, item in enumerate(
                    item_model.objects.filter(questionnaire=latest).order_by("position", "id"),
                    start=1)]
        for extra in defaults.FOLLOW_UP_ITEMS.get(latest.audience, []):
            rows.append(item_model(
                questionnaire=copy, position=len(rows) + 1, kind="outcome",
                background_field=extra["background_field"], choices=extra["choices"],
                text_sv=extra["text_sv"], text_en=extra["text_en"],
                example_sv=extra["example_sv"], example_en=extra["example_en"],
            ))
        item_model.objects.bulk_create(rows)
        created.append(copy)
    return created


def default_questionnaire(audience: str = Questionnaire.Audience.STAFF) -> Questionnaire:
    """The latest version of the default questionnaire for the audience (staff or manager)."""
    code = defaults.DEFAULT_CODES.get(str(audience))
    if code is None:
        raise ValueError(f"No default questionnaire for audience {audience!r}")
    questionnaire = Questionnaire.objects.filter(code=code).order_by("-version").first()
    if questionnaire is None:
        raise Questionnaire.DoesNotExist(f"Default questionnaire {code} is not loaded")
    return questionnaire


# Freezing and versions -------------------------------------------------------------------------

def freeze(questionnaire: Questionnaire) -> Questionnaire:
    """Freeze the questionnaire for good (idempotent: the first time stays the time)."""
    if questionnaire.frozen_at is None:
        now = timezone.now()
        Questionnaire.objects.filter(pk=questionnaire.pk, frozen_at__isnull=True).update(
            frozen_at=now
        )
        questionnaire.frozen_at = (
            Questionnaire.objects.filter(pk=questionnaire.pk)
            .values_list("frozen_at", flat=True).get()
        )
    return questionnaire


def is_editable(questionnaire: Questionnaire) -> bool:
    """Editable while not frozen and no round uses it (a draft round counts)."""
    return questionnaire.frozen_at is None and not questionnaire.rounds.exists()


def _lock_editable(questionnaire: Questionnaire) -> Questionnaire:
    """Re-read and lock the row inside the caller's transaction; refuse when not editable.

    A round may freeze the questionnaire between the page load and the save, so the check
    reads the database, not the object the view holds.
    """
    current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not is_editable(current):
        raise ValidationError(frozen_message(), code="frozen")
    return current


def latest_version(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.filter(code=questionnaire.code).order_by("-version").first()


@transaction.atomic
def new_version(questionnaire: Questionnaire) -> Questionnaire:
    """Copy the questionnaire and its items into the next free version number, editable."""
    # Lock the versions of this code so two clicks do not both take the same number.
    versions = list(
        Questionnaire.objects.select_for_update().filter(code=questionnaire.code)
        .values_list("version", flat=True)
    )
    copy = Questionnaire.objects.create(
        code=questionnaire.code, version=max(versions) + 1, previous=questionnaire,
        framework=questionnaire.framework, audience=questionnaire.audience,
        **{field: getattr(questionnaire, field) for field in TEXT_FIELDS},
    )
    Item.objects.bulk_create([
        Item(questionnaire=copy, position=position, kind=item.kind,
             competence_id=item.competence_id, background_field=item.background_field,
             choices=item.choices, **{field: getattr(item, field) for field in ITEM_TEXT_FIELDS})
        for position, item in enumerate(questionnaire.items.order_by("position", "id"), start=1)
    ])
    return copy


def can_delete(questionnaire: Questionnaire) -> str:
    """Why the questionnaire cannot be deleted, or "" when it can.

    Only an unused version made from another one can go: a mistaken "new version" can be
    undone, while a questionnaire's first version, and anything a round has used, stays.
    """
    if not is_editable(questionnaire):
        return frozen_message()
    if questionnaire.previous_id is None:
        return _("The first version of a questionnaire cannot be deleted.")
    if questionnaire.next_versions.exists():
        return _("Newer versions are based on this one, so it cannot be deleted.")
    return ""


@transaction.atomic
def delete_version(questionnaire: Questionnaire) -> Questionnaire:
    """Delete an unused later version; returns the version it was based on."""
    current = _lock_editable(questionnaire)
    reason = can_delete(current)
    if reason:
        raise ValidationError(reason, code="in_use")
    previous = current.previous
    current.delete()
    return previous


# Edits -------------------------------------------------------------------------------------------

def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


@transaction.atomic
def update_texts(questionnaire: Questionnaire, *, title_sv: str, title_en: str = "",
                 intro_sv: str = "", intro_en: str = "") -> Questionnaire:
    """Change the title and the introduction."""
    current = _lock_editable(questionnaire)
    current.title_sv = _required(title_sv, _("Write a Swedish title."))
    current.title_en = (title_en or "").strip()
    current.intro_sv = (intro_sv or "").strip()
    current.intro_en = (intro_en or "").strip()
    current.save(update_fields=[*TEXT_FIELDS, "updated_at"])
    return current


def _check_competence(questionnaire: Questionnaire, competence: Competence | None) -> None:
    if competence is None:
        raise ValidationError(_("Choose the competence the item measures."), code="competence")
    if competence.framework_id != questionnaire.framework_id:
        raise ValidationError(
            _("The competence must belong to the questionnaire's framework."), code="competence"
        )


def _clean_item_texts(fields: dict) -> dict:
    cleaned = {field: (fields.get(field) or "").strip() for field in ITEM_TEXT_FIELDS}
    cleaned["text_sv"] = _required(cleaned["text_sv"], _("Write the item's Swedish text."))
    return cleaned


@transaction.atomic
def add_rating_item(questionnaire: Questionnaire, *, competence: Competence, text_sv: str,
                    text_en: str = "", example_sv: str = "", example_en: str = "") -> Item:
    """Add a self-rating item at the end of the questionnaire."""
    current = _lock_editable(questionnaire)
    _check_competence(current, competence)
    texts = _clean_item_texts({"text_sv": text_sv, "text_en": text_en,
                               "example_sv": example_sv, "example_en": example_en})
    last = current.items.aggregate(last=Max("position"))["last"] or 0
    return Item.objects.create(questionnaire=current, position=last + 1,
                               kind=Item.Kind.RATING, competence=competence, **texts)


def _item_editable(item: Item) -> Item:
    _lock_editable(item.questionnaire)
    return Item.objects.select_related("questionnaire").get(pk=item.pk)


@transaction.atomic
def update_item(item: Item, *, competence: Competence | None = None, **texts) -> Item:
    """Change an item's texts, and for a rating item its competence."""
    current = _item_editable(item)
    cleaned = _clean_item_texts({field: texts.get(field, getattr(current, field))
                                 for field in ITEM_TEXT_FIELDS})
    for field, value in cleaned.items():
        setattr(current, field, value)
    if current.kind == Item.Kind.RATING and competence is not None:
        _check_competence(current.questionnaire, competence)
        current.competence = competence
    current.save()
    return current


@transaction.atomic
def set_item_competence(item: Item, competence: Competence) -> Item:
    """Tie a rating item to another competence."""
    current = _item_editable(item)
    if current.kind != Item.Kind.RATING:
        raise ValidationError(_("Only self-rating items measure a competence."), code="kind")
    _check_competence(current.questionnaire, competence)
    current.competence = competence
    current.save(update_fields=["competence"])
    return current


@transaction.atomic
def remove_item(item: Item) -> None:
    """Remove an item and close the gap in the positions."""
    current = _item_editable(item)
    questionnaire = current.questionnaire
    current.delete()
    _renumber(questionnaire)


def _renumber(questionnaire: Questionnaire) -> list[Item]:
    items = list(questionnaire.items.order_by("position", "id"))
    changed = []
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    Item.objects.bulk_update(changed, ["position"])
    return items


@transaction.atomic
def move_item(item: Item, direction: str) -> None:
    """Move an item one step "up" or "down"; at either end nothing happens."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."), code="direction")
    current = _item_editable(item)
    items = _renumber(current.questionnaire)
    index = next(i for i, other in enumerate(items) if other.pk == current.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(items):
        return
    first, second = items[index], items[other_index]
    first.position, second.position = second.position, first.position
    Item.objects.bulk_update([first, second], ["position"])


# Reading -----------------------------------------------------------------------------------------

def follow_up_items(questionnaire: Questionnaire) -> list[Item]:
    """The questionnaire's follow-up items (asked in follow-up rounds only), in order."""
    return list(questionnaire.items.filter(kind=Item.Kind.OUTCOME).order_by("position", "id"))


def items_by_area(questionnaire: Questionnaire) -> tuple[list[Item], list[dict]]:
    """(background items, [{"area": area, "items": [...]}, …]) in the framework's area order."""
    items = list(
        questionnaire.items.select_related("competence__area").order_by("position", "id")
    )
    background = [item for item in items if item.kind == Item.Kind.BACKGROUND]
    groups: dict[int, dict] = {}
    for item in items:
        if item.kind != Item.Kind.RATING:
            continue
        area = item.competence.area
        groups.setdefault(area.pk, {"area": area, "items": []})["items"].append(item)
    ordered = sorted(groups.values(), key=lambda g: (g["area"].position, g["area"].code))
    return background, ordered
