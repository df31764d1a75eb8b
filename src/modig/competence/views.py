"""Competence framework pages: list, detail, editing, and CSV import and export.

Each view: access check (competence.access) → form → service → response. The import is two
steps without server-side state: the upload shows a preview, and the confirm button posts the
checked file's text back, which is checked again before anything is written.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.competence import access, csvio, services
from modig.competence.forms import AreaForm, CompetenceForm, FrameworkForm, ImportUploadForm
from modig.competence.models import Competence, CompetenceArea, Framework


def _framework(code: str) -> Framework:
    return get_object_or_404(Framework, code=code)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def framework_list(request):
    access.require_view(request.user)
    frameworks = Framework.objects.annotate(
        area_count=Count("areas", distinct=True),
        competence_count=Count("competences", distinct=True),
        questionnaire_count=Count("questionnaires", distinct=True),
    ).order_by("-is_default", "title_sv")
    return render(request, "competence/framework_list.html", {
        "frameworks": frameworks, "can_edit": access.can_edit_content(request.user),
    })


def _measuring_items(framework: Framework) -> dict[int, list]:
    """Items of the newest version of each questionnaire on the framework, by competence."""
    from modig.surveys.models import Item

    newest: dict[str, int] = {}
    for pk, code, _version in (framework.questionnaires.order_by("code", "version")
                               .values_list("pk", "code", "version")):
        newest[code] = pk
    by_competence: dict[int, list] = {}
    items = (Item.objects.filter(questionnaire_id__in=newest.values(), kind=Item.Kind.RATING)
             .select_related("questionnaire").order_by("questionnaire__code", "position"))
    for item in items:
        by_competence.setdefault(item.competence_id, []).append(item)
    return by_competence


def framework_detail(request, code):
    access.require_view(request.user)
    framework = _framework(code)
    items = _measuring_items(framework)
    areas = []
    for area in framework.areas.order_by("position", "code").prefetch_related("competences"):
        competences = [(competence, items.get(competence.pk, []))
                       for competence in area.competences.all()]
        areas.append((area, competences))
    return render(request, "competence/framework_detail.html", {
        "framework": framework,
        "areas": areas,
        "levels": framework.levels.all(),
        "can_edit": access.can_edit_content(request.user),
        "delete_blocked": services.can_delete_framework(framework),
        "unmeasured": sum(1 for _area, cs in areas for _c, its in cs if not its),
    })


def framework_form(request, code=None):
    """Create a framework (no code) or change one."""
    access.require_edit(request.user)
    framework = _framework(code) if code else None
    initial = {}
    if framework is not None:
        initial = {field: getattr(framework, field)
                   for field in ("code", "title_sv", "title_en", "version", "source",
                                 "is_default")}
    form = FrameworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_framework(framework, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The framework was saved."))
            return redirect("competence:framework-detail", code=saved.code)
    return render(request, "competence/framework_form.html",
                  {"form": form, "framework": framework})


@require_POST
def framework_delete(request, code):
    access.require_edit(request.user)
    framework = _framework(code)
    try:
        services.delete_framework(framework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("competence:framework-detail", code=framework.code)
    messages.success(request, _("The framework %(title)s was deleted.")
                     % {"title": framework.title})
    return redirect("competence:framework-list")


def area_form(request, code, pk=None):
    access.require_edit(request.user)
    framework = _framework(code)
    area = get_object_or_404(CompetenceArea, framework=framework, pk=pk) if pk else None
    initial = {"code": area.code, "title_sv": area.title_sv, "title_en": area.title_en} \
        if area else {}
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_area(framework, area, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The area was saved."))
            return redirect("competence:framework-detail", code=framework.code)
    return render(request, "competence/area_form.html",
                  {"form": form, "framework": framework, "area": area,
                   "delete_blocked": services.can_delete_area(area) if area else ""})


@require_POST
def area_delete(request, code, pk):
    access.require_edit(request.user)
    framework = _framework(code)
    area = get_object_or_404(CompetenceArea, framework=framework, pk=pk)
    try:
        services.delete_area(area)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The area was deleted."))
    return redirect("competence:framework-detail", code=framework.code)


def competence_form(request, code, pk=None):
    access.require_edit(request.user)
    framework = _framework(code)
    competence = get_object_or_404(Competence, framework=framework, pk=pk) if pk else None
    initial = {}
    if competence is not None:
        initial = {"area": competence.area, "code": competence.code,
                   "title_sv": competence.title_sv, "title_en": competence.title_en}
    elif request.GET.get("omrade", "").isdigit():
        initial["area"] = framework.areas.filter(pk=int(request.GET["omrade"])).first()
    if competence is None and not framework.areas.exists():
        messages.warning(request, _("Add a competence area first."))
        return redirect("competence:area-create", code=framework.code)
    form = CompetenceForm(request.POST or None, initial=initial, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_competence(framework, competence, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The competence was saved."))
            return redirect("competence:framework-detail", code=framework.code)
    return render(request, "competence/competence_form.html", {
        "form": form, "framework": framework, "competence": competence,
        "delete_blocked": services.can_delete_competence(competence) if competence else "",
    })


@require_POST
def competence_delete(request, code, pk):
    access.require_edit(request.user)
    framework = _framework(code)
    competence = get_object_or_404(Competence, framework=framework, pk=pk)
    try:
        services.delete_competence(competence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The competence was deleted."))
    return redirect("competence:framework-detail", code=framework.code)


def framework_export(request, code):
    access.require_view(request.user)
    framework = _framework(code)
    response = HttpResponse(csvio.export_csv(framework), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework.code}.csv"'
    return response


def framework_import(request):
    """Upload → preview with every row's errors → confirm; nothing is written before that."""
    access.require_edit(request.user)
    form = ImportUploadForm()
    plan = content = None
    if request.method == "POST" and "content" in request.POST:
        content = request.POST["content"]
        plan = csvio.read_import(content.encode("utf-8"))
        if request.POST.get("confirm") and plan.is_valid:
            framework = csvio.apply_import(plan)
            messages.success(request, _("The file was imported: %(count)s competences in "
                                        "%(title)s.") % {"count": len(plan.rows),
                                                          "title": framework.title})
            return redirect("competence:framework-detail", code=framework.code)
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            plan = csvio.read_import(raw)
            try:
                content = csvio.decode(raw)
            except UnicodeDecodeError:
                content = ""
    return render(request, "competence/framework_import.html",
                  {"form": form, "plan": plan, "content": content})
