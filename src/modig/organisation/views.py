"""Registry pages: municipalities, unit trees, people, and likely duplicates.

Each view: scoped getter (modig.accounts.access) → form → service → response.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from modig.accounts import access
from modig.accounts.models import AccessLogEntry
from modig.organisation import queries, services
from modig.organisation.forms import MergeForm, PeopleFilterForm, UnitForm
from modig.organisation.identity import format_identity_number

PAGE_SIZE = 50


def _require_registry(user) -> None:
    if not access.can_browse_registry(user):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# Municipalities and units ------------------------------------------------------------------

def municipality_list(request):
    """The programme office's entry point; everyone with one municipality lands on it."""
    _require_registry(request.user)
    municipalities = list(queries.municipality_overview(request.user))
    if len(municipalities) == 1 and not access.is_programme_admin(request.user):
        return redirect("organisation:municipality-detail", code=municipalities[0].code)
    return render(request, "organisation/municipality_list.html",
                  {"municipalities": municipalities})


def municipality_detail(request, code):
    """A municipality's unit tree with active head counts."""
    municipality = access.municipality_for_user(request.user, code)
    show_closed = request.GET.get("visa") == "alla"
    tree = queries.unit_tree(request.user, municipality, include_inactive=show_closed)
    return render(request, "organisation/municipality_detail.html", {
        "municipality": municipality,
        "tree": tree,
        "show_closed": show_closed,
        "can_edit": access.can_edit_municipality(request.user, municipality),
    })


def unit_create(request, code):
    """Add a unit to a municipality's tree."""
    municipality = access.municipality_for_user(request.user, code, write=True)
    parents = queries.unit_choices(municipality)
    initial = {}
    under = request.GET.get("under", "")
    if under.isdigit():
        initial["parent"] = parents.filter(pk=int(under)).first()
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(
                municipality, name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"], kind=form.cleaned_data["kind"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The unit %(name)s was added.") % {"name": unit.name})
            return redirect("organisation:unit-detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html",
                  {"form": form, "municipality": municipality, "unit": None})


def unit_detail(request, pk):
    """A unit with the units below it and the people who work there."""
    unit = access.unit_for_user(request.user, pk)
    people = queries.search_people(request.user, unit_id=unit.pk, status="active")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "organisation/unit_detail.html", {
        "unit": unit,
        "ancestors": queries.unit_ancestors(request.user, unit),
        "children": queries.unit_children(request.user, unit),
        "page": page,
        "people": queries.with_employments(request.user, page),
        "can_edit": access.can_edit_municipality(request.user, unit.municipality),
    })


def unit_edit(request, pk):
    """Rename a unit or move it (with everything below it) to another place in the tree."""
    unit = access.unit_for_user(request.user, pk, write=True)
    parents = queries.unit_choices(unit.municipality, exclude_subtree_of=unit)
    form = UnitForm(request.POST or None, parents=parents, initial={
        "name": unit.name, "kind": unit.kind, "code": unit.code, "parent": unit.parent,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.change_unit(
                unit, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
                code=form.cleaned_data["code"], parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("organisation:unit-detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html",
                  {"form": form, "municipality": unit.municipality, "unit": unit})


@require_POST
def unit_status(request, pk):
    """Close a unit (and the units below it) or open it again."""
    unit = access.unit_for_user(request.user, pk, write=True)
    try:
        if request.POST.get("action") == "reactivate":
            services.reactivate_unit(unit)
            messages.success(request, _("The unit is open again."))
        else:
            closed = services.deactivate_unit(unit)
            messages.success(request, _("Closed %(n)s units.") % {"n": closed})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("organisation:unit-detail", pk=unit.pk)


# People ------------------------------------------------------------------------------------

def _people_filter(request) -> PeopleFilterForm:
    return PeopleFilterForm(
        request.GET,
        municipalities=access.municipalities_visible_to(request.user),
        units=access.units_visible_to(request.user).filter(is_active=True),
    )


def person_list(request):
    """Browse, search and filter the people in one's scope."""
    _require_registry(request.user)
    form = _people_filter(request)
    people = queries.search_people(request.user, **form.search_arguments())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "organisation/person_list.html", {
        "form": form,
        "page": page,
        "people": queries.with_employments(request.user, page),
        "extra_query": f"{query.urlencode()}&amp;" if query else "",
        "export_query": query.urlencode(),
        "can_export": access.can_export_people(request.user),
    })


def person_export(request):
    """The filtered people list as semicolon CSV (UTF-8 with BOM, as Swedish Excel opens it)."""
    if not access.can_export_people(request.user):
        raise PermissionDenied
    form = _people_filter(request)
    arguments = form.search_arguments()
    people = queries.search_people(request.user, **arguments)
    access.log_access(request, AccessLogEntry.Action.EXPORT,
                      detail=f"people {request.GET.urlencode()}")
    header = [
        _("Last name"), _("First name"), _("E-mail"), _("Mobile"), _("Birth year"),
        _("Gender"), _("Municipality"), _("Employee id"), _("Units"), _("Occupation"),
        _("Staff category"), _("Active"),
    ]
    rows = queries.people_export_rows(request.user, people)
    response = StreamingHttpResponse(_csv_lines(header, rows),
                                     content_type="text/csv; charset=utf-8")
    filename = f"medarbetare-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe_cell(value) -> str:
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _csv_lines(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for row in _chain(header, rows):
        writer.writerow([_safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header, rows):
    yield header
    yield from rows


def _person_context(request, person, **extra) -> dict:
    return {
        "person": person,
        **queries.person_record(request.user, person),
        "can_view_identity_number": access.can_view_identity_number(request.user),
        "can_merge": access.can_resolve_duplicates(request.user),
        **extra,
    }


def person_detail(request, pk):
    """A person's record; opening it is logged."""
    person = access.person_for_user(request.user, pk)
    access.log_access(request, AccessLogEntry.Action.VIEW_PERSON, person=person)
    return render(request, "organisation/person_detail.html", _person_context(request, person))


@never_cache
@require_POST
def person_identity_number(request, pk):
    """Show the full identity number to a role that reports to the ESF; every view is logged."""
    person = access.person_for_user(request.user, pk)
    if not access.can_view_identity_number(request.user):
        raise PermissionDenied
    full_number = ""
    if person.identity_number and not person.has_protected_identity:
        access.log_access(request, AccessLogEntry.Action.VIEW_IDENTITY_NUMBER, person=person)
        full_number = format_identity_number(person.identity_number)
    template = "organisation/person_detail.html"
    if request.htmx:
        template += "#identity-number"
    return render(request, template, _person_context(request, person, full_number=full_number))


# Likely duplicates -------------------------------------------------------------------------

def _require_duplicates(user) -> None:
    if not access.can_resolve_duplicates(user):
        raise PermissionDenied


def duplicate_list(request):
    """Pairs that may be one human, to merge or keep apart."""
    _require_duplicates(request.user)
    pairs = queries.likely_duplicates(request.user)
    return render(request, "organisation/duplicate_list.html", {"pairs": pairs})


def duplicate_merge(request, first, second):
    """Choose which record to keep, then merge the other into it."""
    _require_duplicates(request.user)
    people = access.duplicate_pair_for_user(request.user, first, second)
    if not access.can_merge_people(request.user, *people):
        raise PermissionDenied
    form = MergeForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = sorted(people, key=lambda p: p.pk != form.cleaned_data["keep"])
        try:
            kept = services.merge_people(keep, duplicate=duplicate)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The two records are now one: %(name)s.")
                             % {"name": kept.full_name})
            return redirect("organisation:person-detail", pk=kept.pk)
    return render(request, "organisation/duplicate_merge.html", {
        "form": form,
        "people": people,
        "reasons": queries.pair_matches(*people),
    })


@require_POST
def duplicate_keep_apart(request, first, second):
    """Record that the two are different people, so the pair is not listed again."""
    _require_duplicates(request.user)
    people = access.duplicate_pair_for_user(request.user, first, second)
    if not access.can_keep_apart(request.user, *people):
        raise PermissionDenied
    services.keep_people_apart(*people, decided_by=request.user)
    messages.success(request, _("Saved: %(first)s and %(second)s are two different people.")
                     % {"first": people[0].full_name, "second": people[1].full_name})
    return redirect("organisation:duplicate-list")

