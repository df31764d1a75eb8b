"""The default questionnaires (loaded by migration) and the freeze / version / edit rules."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from modig.competence.models import Competence, Framework
from modig.surveys import questionnaires as services
from modig.surveys.models import Item, Questionnaire
from modig.surveys.tests.factories import make_questionnaire, make_round

pytestmark = pytest.mark.django_db

FROZEN_SV = ("Formuläret används redan i en enkätomgång och kan inte ändras. "
             "Gör en ny version.")


def ratings(questionnaire):
    return questionnaire.items.filter(kind=Item.Kind.RATING)


# Default content -------------------------------------------------------------------------------

def test_staff_default_has_about_25_rating_items_each_tied_to_a_digcomp_competence():
    staff = services.default_questionnaire("staff")
    assert staff.code == "omsorg-medarbetare"
    assert staff.audience == Questionnaire.Audience.STAFF
    # Version 2: version 1 with the follow-up items (data migration 0006).
    assert staff.version == 2 and staff.previous.version == 1 and staff.frozen_at is None
    assert staff.framework.code == "digcomp-2-2"
    items = list(ratings(staff).select_related("competence__area"))
    assert 24 <= len(items) <= 32
    assert all(item.competence.framework_id == staff.framework_id for item in items)
    assert {item.competence.area.code for item in items} == {"1", "2", "3", "4", "5"}
    covered = {item.competence.code for item in items}
    assert len(covered) >= 18, sorted(covered)


def test_every_default_item_has_swedish_and_english_text_and_an_example():
    for questionnaire in Questionnaire.objects.filter(code__in=["omsorg-medarbetare",
                                                                "omsorg-chef"]):
        assert questionnaire.intro_sv and questionnaire.intro_en
        for item in questionnaire.items.all():
            assert item.text_sv and item.text_en, item.pk
            assert item.example_sv and item.example_en, item.pk
        for item in ratings(questionnaire):
            # "Jag kan …" / "Jag vet …" fits the scale ("Jag kan inte det" … )
            assert item.text_sv.startswith(("Jag kan", "Jag vet")), item.text_sv
            assert item.text_en.startswith(("I can", "I know")), item.text_en
            assert item.text_sv.endswith(".") and len(item.text_sv) <= 90, item.text_sv


def test_staff_default_asks_the_four_background_questions_with_fixed_choices():
    staff = services.default_questionnaire()
    background = {item.background_field: item
                  for item in staff.items.filter(kind=Item.Kind.BACKGROUND)}
    assert set(background) == {"unit", "occupation", "years_in_care", "digital_use"}
    years = [choice["sv"] for choice in background["years_in_care"].choices]
    assert years == ["Mindre än 1 år", "1–5 år", "6–15 år", "Mer än 15 år"]
    use = background["digital_use"].choices
    assert [c["en"] for c in use] == ["Several times a day", "Every day", "Every week",
                                      "Less often", "Never"]
    assert len({c["value"] for c in use}) == 5
    # Background questions come first: they are asked before the ratings.
    first = list(staff.items.order_by("position")[:4])
    assert all(item.kind == Item.Kind.BACKGROUND for item in first)


def test_manager_version_has_the_staff_items_plus_items_on_leading():
    staff = services.default_questionnaire("staff")
    manager = services.default_questionnaire("manager")
    assert manager.code == "omsorg-chef" and manager.audience == "manager"
    staff_texts = list(ratings(staff).order_by("position").values_list("text_sv", flat=True))
    manager_texts = list(ratings(manager).order_by("position").values_list("text_sv", flat=True))
    assert manager_texts[:len(staff_texts)] == staff_texts
    extra = ratings(manager).order_by("position")[len(staff_texts):]
    assert 5 <= len(extra) <= 8
    assert {"5.4", "2.4"} <= {item.competence.code for item in extra}


def test_default_items_mention_care_work_examples():
    examples = " ".join(ratings(services.default_questionnaire())
                        .values_list("example_sv", flat=True)).lower()
    for word in ("videosamtal", "kamera", "läkemedelsrobot", "larm", "lösenord", "sms",
                 "journalsystemet", "surfplatta", "ombudet", "dörr"):
        assert word in examples or word in " ".join(
            ratings(services.default_questionnaire()).values_list("text_sv", flat=True)
        ).lower(), word


def test_loading_again_creates_nothing_and_the_command_says_so(capsys):
    from django.core.management import call_command

    before = Questionnaire.objects.count()
    call_command("load_default_questionnaires")
    assert Questionnaire.objects.count() == before
    assert "nothing changed" in capsys.readouterr().out


def test_command_recreates_a_removed_default():
    from django.core.management import call_command

    # Newest first: each version is `previous` of the next (a protected reference).
    for questionnaire in Questionnaire.objects.filter(code="omsorg-chef").order_by("-version"):
        questionnaire.delete()
    call_command("load_default_questionnaires")
    manager = services.default_questionnaire("manager")
    assert ratings(manager).count() > 24
    # Version 1 as it always was, then the version with the follow-up items.
    assert manager.version == 2 and manager.previous.version == 1
    assert not manager.previous.items.filter(kind=Item.Kind.OUTCOME).exists()
    assert manager.items.filter(kind=Item.Kind.OUTCOME).count() == 2


def test_unknown_audience_is_an_error():
    with pytest.raises(ValueError):
        services.default_questionnaire("residents")


# Freezing and versions -------------------------------------------------------------------------

def test_freeze_sets_the_time_once():
    questionnaire = make_questionnaire()
    services.freeze(questionnaire)
    first = questionnaire.frozen_at
    assert first is not None
    again = Questionnaire.objects.get(pk=questionnaire.pk)
    services.freeze(again)
    assert again.frozen_at == first
    assert not services.is_editable(again)


def test_a_questionnaire_used_by_a_round_is_not_editable_even_before_freezing(region):
    questionnaire = make_questionnaire()
    assert services.is_editable(questionnaire)
    make_round(region.programme, questionnaire, published=False)
    assert not services.is_editable(questionnaire)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.update_texts(questionnaire, title_sv="Nytt namn")
    assert error.value.messages == [FROZEN_SV]
    assert Questionnaire.objects.get(pk=questionnaire.pk).title_sv == "Testformulär"


@pytest.mark.parametrize("edit", ["texts", "add", "remove", "move", "competence", "item"])
def test_every_edit_of_a_frozen_questionnaire_is_refused_and_changes_nothing(edit):
    questionnaire = make_questionnaire()
    services.freeze(questionnaire)
    item = ratings(questionnaire).order_by("position").last()
    other = Competence.objects.get(framework=questionnaire.framework, code="5.4")
    before = list(questionnaire.items.order_by("pk").values())
    calls = {
        "texts": lambda: services.update_texts(questionnaire, title_sv="Ändrad"),
        "add": lambda: services.add_rating_item(questionnaire, competence=other,
                                                text_sv="Jag kan mer."),
        "remove": lambda: services.remove_item(item),
        "move": lambda: services.move_item(item, "up"),
        "competence": lambda: services.set_item_competence(item, other),
        "item": lambda: services.update_item(item, text_sv="Ändrad text"),
    }
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        calls[edit]()
    assert error.value.messages == [FROZEN_SV]
    assert list(questionnaire.items.order_by("pk").values()) == before
    assert Questionnaire.objects.get(pk=questionnaire.pk).title_sv == "Testformulär"


def test_new_version_copies_items_and_is_editable():
    questionnaire = make_questionnaire()
    services.freeze(questionnaire)
    copy = services.new_version(questionnaire)
    assert (copy.code, copy.version, copy.previous) == (questionnaire.code, 2, questionnaire)
    assert copy.frozen_at is None and services.is_editable(copy)
    fields = ("position", "kind", "competence_id", "background_field", "text_sv", "text_en",
              "example_sv", "example_en", "choices")
    assert (list(copy.items.order_by("position").values_list(*fields))
            == list(questionnaire.items.order_by("position").values_list(*fields)))
    services.update_texts(copy, title_sv="Version två")
    assert Questionnaire.objects.get(pk=questionnaire.pk).title_sv == "Testformulär"
    # A new version of an older one takes the next free number, not a taken one.
    third = services.new_version(questionnaire)
    assert third.version == 3
    assert services.latest_version(questionnaire) == third


def test_default_questionnaire_follows_the_latest_version():
    staff = services.default_questionnaire()
    services.freeze(staff)
    copy = services.new_version(staff)
    assert services.default_questionnaire() == copy


# Edits -----------------------------------------------------------------------------------------

def test_add_move_and_remove_items_keep_positions_in_order():
    questionnaire = make_questionnaire(background=False, items_per_area=1)
    competence = Competence.objects.get(framework=questionnaire.framework, code="4.2")
    added = services.add_rating_item(questionnaire, competence=competence,
                                     text_sv="  Jag kan skydda uppgifter.  ", text_en="")
    assert added.text_sv == "Jag kan skydda uppgifter."
    order = lambda: list(questionnaire.items.order_by("position").values_list("pk", flat=True))  # noqa: E731
    assert order()[-1] == added.pk and len(order()) == 6
    services.move_item(added, "up")
    assert order()[-2] == added.pk
    services.move_item(Item.objects.get(pk=order()[0]), "up")  # already first: nothing happens
    first = order()[0]
    services.remove_item(Item.objects.get(pk=first))
    assert first not in order()
    assert list(questionnaire.items.order_by("position").values_list("position", flat=True)) \
        == [1, 2, 3, 4, 5]


def test_an_item_needs_swedish_text_and_a_competence_of_the_same_framework():
    questionnaire = make_questionnaire()
    foreign = Framework.objects.create(code="annat", title_sv="Annat")
    area = foreign.areas.create(code="A", title_sv="Område")
    stranger = Competence.objects.create(framework=foreign, area=area, code="A1",
                                         title_sv="Främmande")
    own = Competence.objects.get(framework=questionnaire.framework, code="1.1")
    count = questionnaire.items.count()
    with translation.override("sv"):
        with pytest.raises(ValidationError):
            services.add_rating_item(questionnaire, competence=own, text_sv="   ")
        with pytest.raises(ValidationError):
            services.add_rating_item(questionnaire, competence=stranger, text_sv="Jag kan.")
        item = ratings(questionnaire).first()
        with pytest.raises(ValidationError):
            services.set_item_competence(item, stranger)
    assert questionnaire.items.count() == count
    moved = services.set_item_competence(item, own)
    assert moved.competence == own
