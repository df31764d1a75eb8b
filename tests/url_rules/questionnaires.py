"""Access to the questionnaire pages: the programme office edits, coordinators and unit managers
read, everyone else gets 403 (anonymous visitors go to the log-in page)."""

from url_rules import DENY, GO, LOGIN, OK, Case, expect

READ = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
EDIT = expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)
WRITE = expect(GO, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)


def staff_default(region):
    from modig.surveys.questionnaires import default_questionnaire

    return {"pk": default_questionnaire("staff").pk}


def frozen(region):
    from modig.surveys.questionnaires import default_questionnaire, freeze

    return {"pk": freeze(default_questionnaire("manager")).pk}


def staff_item(region):
    from modig.surveys.models import Item
    from modig.surveys.questionnaires import default_questionnaire

    questionnaire = default_questionnaire("staff")
    item = questionnaire.items.filter(kind=Item.Kind.RATING).order_by("position").last()
    return {"pk": questionnaire.pk, "item_pk": item.pk}


def draft(region):
    """An unused version 2 of the manager questionnaire (version 1 frozen)."""
    from modig.surveys.questionnaires import default_questionnaire, freeze, new_version

    first = default_questionnaire("manager")
    return {"pk": new_version(freeze(first)).pk}


RULES = {
    "surveys:questionnaire-list": [Case(READ)],
    "surveys:questionnaire-detail": [
        Case(READ, kwargs=staff_default, label="editable"),
        Case(READ, kwargs=frozen, label="frozen"),
    ],
    "surveys:questionnaire-preview": [Case(READ, kwargs=staff_default)],
    "surveys:questionnaire-edit": [
        Case(EDIT, kwargs=staff_default, label="editable"),
        Case(EDIT, kwargs=frozen, label="frozen"),
    ],
    "surveys:questionnaire-item-add": [Case(EDIT, kwargs=staff_default)],
    "surveys:questionnaire-item-edit": [Case(EDIT, kwargs=staff_item)],
    "surveys:questionnaire-item-remove": [Case(WRITE, method="post", kwargs=staff_item)],
    "surveys:questionnaire-item-move": [
        Case(WRITE, method="post", kwargs=staff_item, data={"direction": "up"})
    ],
    "surveys:questionnaire-new-version": [Case(WRITE, method="post", kwargs=frozen)],
    "surveys:questionnaire-delete": [
        Case(WRITE, method="post", kwargs=draft, label="draft"),
        Case(WRITE, method="post", kwargs=staff_default, label="first-version"),
    ],
}
