"""Questionnaire pages: list, detail, editing (texts and items), new version and preview.

Each view: access check (competence.access) → form → service (surveys.questionnaires) →
response. Whether a questionnaire may change is decided by the service on every write, so a
questionnaire frozen between page load and save is still refused, with the reason shown.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.competence import access
from modig.surveys import questionnaires as services
from modig.surveys import scale
from modig.surveys.models import Item, Questionnaire
from modig.surveys.questionnaire_forms import ItemForm, QuestionnaireTextsForm


def _questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("framework", "previous"),
                             pk=pk)


def _item(questionnaire: Questionnaire, item_pk: int) -> Item:
    return get_object_or_404(Item.objects.select_related("questionnaire"),
                             questionnaire=questionnaire, pk=item_pk)


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def questionnaire_list(request):
    access.require_view(request.user)
    questionnaires = (
        Questionnaire.objects.select_related("framework")
        .annotate(rating_count=Count("items", filter=Q(items__kind=Item.Kind.RATING),
                                     distinct=True),
                  round_count=Count("rounds", distinct=True))
        .order_by("code", "-version")
    )
    return render(request, "surveys/questionnaires/list.html", {
        "questionnaires": questionnaires, "can_edit": access.can_edit_content(request.user),
    })


def _status(questionnaire: Questionnaire) -> dict:
    editable = services.is_editable(questionnaire)
    return {
        "editable": editable,
        "rounds": list(questionnaire.rounds.order_by("-opens_on").only("name", "opens_on")),
        "latest": services.latest_version(questionnaire),
        "frozen_message": "" if editable else services.frozen_message(),
    }


def questionnaire_detail(request, pk):
    access.require_view(request.user)
    questionnaire = _questionnaire(pk)
    background, areas = services.items_by_area(questionnaire)
    return render(request, "surveys/questionnaires/detail.html", {
        "questionnaire": questionnaire, "background": background, "areas": areas,
        "follow_up": services.follow_up_items(questionnaire),
        "can_edit": access.can_edit_content(request.user),
        "rating_count": sum(len(group["items"]) for group in areas),
        "versions": Questionnaire.objects.filter(code=questionnaire.code).order_by("version"),
        "can_delete": not services.can_delete(questionnaire),
        **_status(questionnaire),
    })


def questionnaire_edit(request, pk):
    """The texts form and the list of items with their move, change and remove buttons."""
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    form = QuestionnaireTextsForm(request.POST or None, initial={
        field: getattr(questionnaire, field) for field in services.TEXT_FIELDS
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.update_texts(questionnaire, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The questionnaire was saved."))
            return redirect("surveys:questionnaire-edit", pk=questionnaire.pk)
    return render(request, "surveys/questionnaires/edit.html", {
        "questionnaire": questionnaire, "form": form,
        "items": questionnaire.items.select_related("competence").order_by("position", "id"),
        **_status(questionnaire),
    })


def _item_page(request, questionnaire: Questionnaire, item: Item | None):
    rating = item is None or item.kind == Item.Kind.RATING
    initial = {}
    if item is not None:
        initial = {field: getattr(item, field) for field in services.ITEM_TEXT_FIELDS}
        initial["competence"] = item.competence
    form = ItemForm(request.POST or None, initial=initial, framework=questionnaire.framework,
                    rating=rating)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if item is None:
                services.add_rating_item(questionnaire, **data)
            else:
                services.update_item(item, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:questionnaire-edit", pk=questionnaire.pk)
    return render(request, "surveys/questionnaires/item_form.html", {
        "questionnaire": questionnaire, "item": item, "form": form,
        **_status(questionnaire),
    })


def questionnaire_item_add(request, pk):
    access.require_edit(request.user)
    return _item_page(request, _questionnaire(pk), None)


def questionnaire_item_edit(request, pk, item_pk):
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    return _item_page(request, questionnaire, _item(questionnaire, item_pk))


def _back_to_edit(request, questionnaire, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("surveys:questionnaire-edit", pk=questionnaire.pk)


@require_POST
def questionnaire_item_remove(request, pk, item_pk):
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    item = _item(questionnaire, item_pk)
    return _back_to_edit(request, questionnaire, lambda: services.remove_item(item),
                         _("The question was removed."))


@require_POST
def questionnaire_item_move(request, pk, item_pk):
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    item = _item(questionnaire, item_pk)
    direction = request.POST.get("direction", "")
    return _back_to_edit(request, questionnaire,
                         lambda: services.move_item(item, direction),
                         _("The question was moved."))


@require_POST
def questionnaire_new_version(request, pk):
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    copy = services.new_version(questionnaire)
    messages.success(request, _("Version %(version)s was made. You can change it until a "
                                "survey round uses it.") % {"version": copy.version})
    return redirect("surveys:questionnaire-edit", pk=copy.pk)


@require_POST
def questionnaire_delete(request, pk):
    access.require_edit(request.user)
    questionnaire = _questionnaire(pk)
    try:
        previous = services.delete_version(questionnaire)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:questionnaire-detail", pk=questionnaire.pk)
    messages.success(request, _("Version %(version)s was deleted.")
                     % {"version": questionnaire.version})
    return redirect("surveys:questionnaire-detail", pk=previous.pk)


def questionnaire_preview(request, pk):
    """The items as a respondent sees them, one section per page of the survey; read only."""
    access.require_view(request.user)
    questionnaire = _questionnaire(pk)
    background, areas = services.items_by_area(questionnaire)
    pages = ([{"title": _("About you and your work"), "items": background}]
             if background else [])
    pages += [{"title": group["area"].title, "items": group["items"]} for group in areas]
    follow_up = services.follow_up_items(questionnaire)
    if follow_up:
        pages.append({"title": _("Since the training started"), "items": follow_up,
                      "note": _("Asked only in follow-up rounds.")})
    return render(request, "surveys/questionnaires/preview.html", {
        "questionnaire": questionnaire, "pages": pages, "scale": scale.CHOICES,
    })
