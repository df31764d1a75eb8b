"""Catalogue, introduction, resource and learning plan pages. Scoped getter → form → service
→ redirect; outside one's scope a 404, inside it without the right a 403."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from modig.accounts.access import (
    REGISTRY_ROLES,
    can_edit_municipality,
    editable_municipalities,
    has_role,
    is_programme_admin,
    units_visible_to,
)
from modig.learning import cycle, queries, services
from modig.learning.forms import (
    IntroductionForm,
    NeedsMetForm,
    ResourceFilterForm,
    ResourceForm,
    TechnologyForm,
    unit_choices,
)
from modig.learning.models import (
    LearningNeed,
    LearningPlan,
    LearningResource,
    LearningStep,
    LearningTask,
    ResourceRating,
    Technology,
)
from modig.organisation.models import Unit
from modig.training.models import Course


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def technology_list(request):
    category = request.GET.get("kategori", "")
    technologies = Technology.objects.annotate(competence_count=Count("competences"))
    if category in Technology.Category.values:
        technologies = technologies.filter(category=category)
    return render(request, "learning/technology_list.html", {
        "technologies": technologies, "categories": Technology.Category.choices,
        "category": category, "can_edit": is_programme_admin(request.user),
        "can_introduce": queries.can_introduce(request.user),
    })


def technology_detail(request, code):
    technology = get_object_or_404(Technology, code=code)
    courses = (queries.related_courses(technology)
               .filter(pk__in=Course.objects.visible_to(request.user).values("pk"))
               .order_by("title"))
    return render(request, "learning/technology_detail.html", {
        "technology": technology,
        "competences": technology.competences.select_related("area"),
        "courses": courses, "can_edit": is_programme_admin(request.user),
    })


def technology_form(request, code=None):
    if not is_programme_admin(request.user):
        raise PermissionDenied
    technology = get_object_or_404(Technology, code=code) if code else None
    initial = {}
    if technology:
        initial = {"name": technology.name, "category": technology.category,
                   "description": technology.description,
                   "competences": list(technology.competences.all())}
    form = TechnologyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            technology = services.save_technology(technology, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The technology is saved."))
            return redirect("learning:technology-detail", technology.code)
    return render(request, "learning/technology_form.html",
                  {"form": form, "technology": technology})


def _require_registry_role(user) -> None:
    if not (is_programme_admin(user) or has_role(user, *REGISTRY_ROLES)):
        raise PermissionDenied


def introduction_list(request):
    _require_registry_role(request.user)
    introductions = (queries.introductions_visible_to(request.user)
                     .annotate(open_tasks=Count("tasks", filter=Q(
                         tasks__status=LearningTask.Status.OPEN))))
    return render(request, "learning/introduction_list.html", {
        "introductions": introductions, "can_introduce": queries.can_introduce(request.user),
    })


def introduction_form(request):
    user = request.user
    if not queries.can_introduce(user):
        raise PermissionDenied
    form = IntroductionForm(request.POST or None,
                            units=unit_choices(queries.manageable_units(user)),
                            municipalities=editable_municipalities(user))
    if request.GET.get("teknik") and request.method == "GET":
        form.initial["technology"] = Technology.objects.filter(
            code=request.GET["teknik"]).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality, unit = data["scope"]
        try:
            introduction = services.introduce(
                data["technology"], municipality=municipality, unit=unit,
                go_live_on=data["go_live_on"], occupations=data["occupations"],
                note=data["note"], by=user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The introduction is saved."))
            return redirect("learning:introduction-detail", introduction.pk)
    return render(request, "learning/introduction_form.html", {"form": form})


def _introduction_for(user, pk):
    _require_registry_role(user)
    return get_object_or_404(queries.introductions_visible_to(user), pk=pk)


def introduction_detail(request, pk):
    user = request.user
    introduction = _introduction_for(user, pk)
    technology = introduction.technology
    courses = (queries.related_courses(technology)
               .filter(pk__in=Course.objects.visible_to(user).values("pk")).order_by("title"))
    tasks = introduction.tasks.select_related("unit", "person").order_by("unit__path", "pk")
    return render(request, "learning/introduction_detail.html", {
        "introduction": introduction, "coverage": queries.coverage(introduction),
        "tasks": tasks, "courses": courses,
        "resources": queries.resources(technology=technology).order_by("title")[:10],
        "occupations": introduction.occupations.all(),
        "can_manage": queries.can_manage_introduction(user, introduction),
    })


@require_POST
def task_done(request, pk):
    user = request.user
    _require_registry_role(user)
    task = get_object_or_404(
        LearningTask.objects.filter(
            introduction__in=queries.introductions_visible_to(user).values("pk")), pk=pk)
    if not queries.can_do_task(user, task):
        raise PermissionDenied
    services.mark_task_done(task)
    messages.success(request, _("The task is marked as done."))
    return redirect("learning:introduction-detail", task.introduction_id)


# The resource library -------------------------------------------------------------------------

def resource_list(request):
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.resources(competence=filters.get("kompetens"),
                              technology=filters.get("teknik"), kind=filters.get("typ", ""))
    found = found.order_by("-rating_average", "title", "pk")
    page = Paginator(found, 20).get_page(request.GET.get("sida"))
    for resource in page.object_list:
        resource.average = queries.shown_average(resource)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "learning/resource_list.html", {
        "form": form, "page": page, "resources": page.object_list,
        "extra_query": query.urlencode() + "&" if query else "",
        "can_add": queries.can_add_resource(request.user),
    })


def resource_form(request):
    if not queries.can_add_resource(request.user):
        raise PermissionDenied
    form = ResourceForm(request.POST or None,
                        initial={"technologies": Technology.objects.filter(
                            code=request.GET.get("teknik", ""))})
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.add_resource(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("learning:resource-detail", resource.pk)
    return render(request, "learning/resource_form.html", {"form": form})


def resource_detail(request, pk):
    resource = get_object_or_404(queries.resources(), pk=pk)
    resource.average = queries.shown_average(resource)
    mine = ResourceRating.objects.filter(resource=resource, user=request.user).first()
    return render(request, "learning/resource_detail.html", {
        "resource": resource, "my_stars": mine.stars if mine else None,
        "technologies": resource.technologies.all(),
        "competences": resource.competences.all(), "stars": range(1, 6),
    })


@require_POST
def resource_rate(request, pk):
    resource = get_object_or_404(LearningResource, pk=pk)
    try:
        services.rate(resource, request.user, request.POST.get("stars"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("learning:resource-detail", resource.pk)


# The yearly learning cycle ----------------------------------------------------------------------

def _plan_unit(user, unit_pk):
    _require_registry_role(user)
    return get_object_or_404(units_visible_to(user).select_related("municipality"), pk=unit_pk)


def _can_change_plan(user, unit) -> bool:
    return can_edit_municipality(user, unit.municipality) or any(
        unit.path.startswith(managed.path)
        for managed in queries._assigned_units(user, "unit_manager"))


def plan_page(request, unit_pk, year):
    user = request.user
    unit = _plan_unit(user, unit_pk)
    plan = LearningPlan.objects.filter(unit=unit, year=year).first()
    introductions = (queries.introductions_visible_to(user)
                     .filter(go_live_on__year=year)
                     .filter(Q(unit__isnull=True, municipality=unit.municipality)
                             | Q(unit_id__in=[int(pk) for pk in unit.path.strip("/").split("/")])
                             | Q(unit__path__startswith=unit.path)))
    return render(request, "learning/plan.html", {
        "unit": unit, "year": year, "plan": plan,
        "steps": plan.steps.all() if plan else [], "introductions": introductions,
        "tasks": queries.open_tasks_for_units([unit]),
        "open_needs": queries.open_needs_for_units([unit]).count(),
        "can_change": _can_change_plan(user, unit), "today": timezone.localdate(),
    })


@require_POST
def plan_start(request, unit_pk, year):
    unit = _plan_unit(request.user, unit_pk)
    if not _can_change_plan(request.user, unit):
        raise PermissionDenied
    try:
        cycle.start_plan(unit, year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("learning:plan", unit.pk, year)


@require_POST
def step_update(request, pk):
    step = get_object_or_404(LearningStep.objects.select_related("plan__unit"), pk=pk)
    unit = _plan_unit(request.user, step.plan.unit_id)
    if not _can_change_plan(request.user, unit):
        raise PermissionDenied
    due_on = None
    if request.POST.get("due_on"):
        try:
            due_on = datetime.date.fromisoformat(request.POST["due_on"])
        except ValueError:
            messages.error(request, _("Write the date as YYYY-MM-DD, e.g. 2026-09-01."))
            return redirect("learning:plan", unit.pk, step.plan.year)
    done = {"done": True, "undo": False}.get(request.POST.get("action", ""))
    cycle.set_step(step, due_on=due_on, done=done)
    messages.success(request, _("The step is saved."))
    return redirect("learning:plan", unit.pk, step.plan.year)


# Learning needs met ---------------------------------------------------------------------------

def unit_needs(request, unit_pk):
    """A unit's open learning needs, person by person, grouped by introduction; those who may
    tick people (or a whole introduction) and a date, and mark the needs met."""
    user = request.user
    unit = _plan_unit(user, unit_pk)
    can_mark = queries.can_mark_needs(user, unit)
    form = NeedsMetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_mark:
            raise PermissionDenied
        if form.is_valid():
            need_ids = request.POST.getlist("need")
            if request.POST.get("introduction", "").isdigit():
                # "All of them": every open need of the introduction at this unit.
                need_ids = list(queries.open_needs_for_units([unit]).filter(
                    introduction_id=int(request.POST["introduction"]))
                    .values_list("pk", flat=True))
            try:
                marked = services.mark_needs_met(
                    unit, [pk for pk in need_ids if str(pk).isdigit()],
                    on=form.cleaned_data["met_on"], by=user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, ngettext(
                    "%(count)s learning need is marked as met.",
                    "%(count)s learning needs are marked as met.", marked) % {"count": marked})
                return redirect("learning:unit-needs", unit.pk)
    needs = list(queries.open_needs_for_units([unit]))
    groups: dict = {}
    for need in needs:
        groups.setdefault(need.introduction, []).append(need)
    met = (LearningNeed.objects.filter(status=LearningNeed.Status.MET,
                                       unit__in=Unit.objects.in_subtree_of([unit]).values("pk"))
           .select_related("person", "introduction__technology", "met_by")
           .order_by("-met_on", "pk")[:20])
    return render(request, "learning/unit_needs.html", {
        "unit": unit, "groups": list(groups.items()), "form": form, "can_mark": can_mark,
        "met": met, "chosen": set(request.POST.getlist("need")),
    }, status=400 if form.is_bound and form.errors else 200)
