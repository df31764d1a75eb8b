"""The managers' change log: the list (with the outcome figure for coordinators and the
programme office) and the phone-friendly form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from modig.accounts.access import coordinated_municipality_ids, is_programme_admin
from modig.organisation.models import Municipality, Programme
from modig.plans import access, queries, services
from modig.plans.forms import RoutineChangeForm

PAGE_SIZE = 25


def _add_errors(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def _figures(user) -> list[dict]:
    """'Changed at least one routine' per programme and, for a coordinator, per municipality."""
    figures = []
    if is_programme_admin(user):
        for programme in Programme.objects.order_by("-starts_on"):
            figures.append({"programme": programme, "municipality": None,
                            "share": queries.routine_change_share(programme)})
    else:
        for municipality in Municipality.objects.filter(
                pk__in=coordinated_municipality_ids(user)).order_by("name"):
            for programme in municipality.programmes.order_by("-starts_on"):
                figures.append({"programme": programme, "municipality": municipality,
                                "share": queries.routine_change_share(
                                    programme, municipalities=[municipality])})
    return figures


def change_list(request):
    access.require_change_log(request.user)
    changes = access.changes_visible_to(request.user).select_related(
        "manager", "unit", "unit__municipality")
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "plans/change_list.html", {
        "page": page, "figures": _figures(request.user),
        "can_record": access.recordable_managers(request.user).exists(),
    })


def change_create(request):
    user = request.user
    access.require_change_log(user)
    managers = access.recordable_managers(user)
    form = RoutineChangeForm(request.POST or None, managers=managers,
                             units=access.recordable_units(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_routine_change(
                manager=data["manager"], unit=data["unit"], changed_on=data["changed_on"],
                routine=data["routine"], way=data["way"], description=data["description"],
                recorded_by=user, submission_key=data["submission_key"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The change is saved."))
            return redirect("plans:change-list")
    return render(request, "plans/change_form.html",
                  {"form": form, "has_managers": managers.exists()})
