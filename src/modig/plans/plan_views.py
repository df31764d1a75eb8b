"""Digital action plans: list, start (empty or from the survey results), read, change, goals,
actions, follow-up notes and the PDF for the municipality's steering documents.

Each view: scoped getter (plans/access.py) → form → service → redirect (Post/Redirect/Get).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts.access import people_visible_to
from modig.plans import access, pdf, services
from modig.plans.forms import ActionForm, GoalForm, NoteForm, PlanEditForm, PlanForm
from modig.plans.models import Action, ActionPlan, Goal
from modig.plans.views import _add_errors


def plan_list(request):
    access.require_plans(request.user)
    plans = access.plans_visible_to(request.user).select_related("municipality", "unit")
    return render(request, "plans/plan_list.html", {"plans": plans})


def plan_create(request):
    user = request.user
    access.require_plans(user)
    form = PlanForm(request.POST or None, municipalities=access.plan_municipalities(user),
                    units=access.plan_units(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["unit"] is None and not access.may_start_municipality_plan(
                user, data["municipality"]):
            form.add_error("unit", _("Choose one of your units: the municipality's own plan "
                                     "is kept by its coordinator."))
        else:
            try:
                plan = services.create_plan(
                    municipality=data["municipality"], unit=data["unit"], title=data["title"],
                    starts_on=data["starts_on"], ends_on=data["ends_on"], created_by=user,
                    from_survey=data["from_survey"], submission_key=data["submission_key"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The plan is saved as a draft."))
                return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


def _plan_with_content(plan: ActionPlan) -> list[Goal]:
    return list(plan.goals.select_related("source_round").prefetch_related(
        "competences", "technologies",
        Prefetch("actions", queryset=Action.objects.select_related("owner")
                 .prefetch_related("competences", "technologies"))))


def plan_detail(request, pk: int):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "goals": _plan_with_content(plan), "notes": plan.notes.all(),
        "can_edit": access.can_edit_plan(request.user, plan),
    })


def plan_edit(request, pk: int):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk, write=True)
    initial = {"title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on,
               "status": plan.status}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_part_form.html", {
        "form": form, "plan": plan, "heading": _("Change the plan")})


def goal_create(request, pk: int):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(plan, text=form.cleaned_data["text"],
                              competences=form.cleaned_data["competences"],
                              technologies=form.cleaned_data["technologies"],
                              submission_key=form.cleaned_data["submission_key"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_part_form.html", {
        "form": form, "plan": plan, "heading": _("New goal")})


def _owners(user, plan):
    return (people_visible_to(user)
            .filter(employments__municipality=plan.municipality,
                    employments__is_active=True,
                    employments__staff_category="management")
            .distinct().order_by("last_name", "first_name"))


def action_form(request, pk: int, action_pk: int | None = None):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk, write=True)
    action = (get_object_or_404(Action.objects.select_related("goal"), pk=action_pk,
                                goal__plan=plan) if action_pk else None)
    if not plan.goals.exists():
        messages.info(request, _("Write a goal first: every action belongs to a goal."))
        return redirect("plans:goal-create", pk=plan.pk)
    initial = {}
    if action:
        initial = {"goal": action.goal_id, "text": action.text, "owner_name": action.owner_name,
                   "owner": action.owner_id, "due_on": action.due_on, "status": action.status,
                   "competences": list(action.competences.values_list("pk", flat=True)),
                   "technologies": list(action.technologies.values_list("pk", flat=True))}
    form = ActionForm(request.POST or None, initial=initial, plan=plan,
                      owners=_owners(request.user, plan))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = action or Action(submission_key=data["submission_key"])
        for name in ("goal", "text", "owner_name", "owner", "due_on", "status"):
            setattr(target, name, data[name])
        try:
            services.save_action(plan, target, competences=data["competences"],
                                 technologies=data["technologies"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_part_form.html", {
        "form": form, "plan": plan,
        "heading": _("Change the action") if action else _("New action")})


def note_create(request, pk: int):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk, write=True)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_note(plan, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_part_form.html", {
        "form": form, "plan": plan, "heading": _("New follow-up")})


def plan_pdf(request, pk: int):
    access.require_plans(request.user)
    plan = access.plan_for_user(request.user, pk)
    content = pdf.plan_pdf(plan, printed_on=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="handlingsplan-{plan.pk}.pdf"'
    return response
