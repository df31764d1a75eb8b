"""Roster import pages: upload → columns → preview (problems, new units) → save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.accounts import access
from modig.roster import services
from modig.roster.forms import CommitForm, MappingForm, UnitsForm, UploadForm
from modig.roster.problems import describe
from modig.roster.queries import imports_visible_to, roster_import_for_user

PROBLEMS_PER_PAGE = 100


def _editable_municipalities(request):
    municipalities = list(access.editable_municipalities(request.user))
    if not municipalities:
        raise PermissionDenied
    return municipalities


def import_list(request):
    """Every import into the municipalities the user may import into, newest first."""
    municipalities = _editable_municipalities(request)
    imports = imports_visible_to(request.user)
    code = request.GET.get("kommun", "")
    if code:
        imports = imports.filter(municipality__code=code)
    page = Paginator(imports, 50).get_page(request.GET.get("sida"))
    return render(request, "roster/import_list.html", {
        "page": page, "municipalities": municipalities, "kommun": code,
        "extra_query": f"kommun={code}&" if code else "",
    })


def import_upload(request):
    """Upload a staff list; a file that cannot be read is refused with nothing changed."""
    municipalities = _editable_municipalities(request)
    form = UploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = access.municipality_for_user(
            request.user, form.cleaned_data["municipality"], write=True)
        upload = form.cleaned_data["file"]
        try:
            roster_import = services.start_import(
                municipality, file_name=upload.name, content=upload.read(), user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("roster:import-mapping", pk=roster_import.pk)
    return render(request, "roster/import_upload.html", {"form": form})


def import_mapping(request, pk: int):
    """Say which column holds what; the choice is remembered for the municipality."""
    roster_import = roster_import_for_user(request.user, pk)
    form = MappingForm(request.POST or None, headers=roster_import.headers,
                       mapping=roster_import.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mapping(roster_import, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("roster:import-detail", pk=roster_import.pk)
    return render(request, "roster/import_mapping.html",
                  {"roster_import": roster_import, "form": form})


def import_detail(request, pk: int):
    """Progress while the file is worked on, then the preview with every problem, or the result."""
    roster_import = roster_import_for_user(request.user, pk)
    page = Paginator(roster_import.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("sida"))
    problems = [{**item, "message": describe(item)} for item in page]
    return render(request, "roster/import_detail.html", {
        "roster_import": roster_import, "page": page, "problems": problems,
        "units_form": UnitsForm(new_units=roster_import.new_units,
                                confirmed=roster_import.confirmed_units),
        "commit_form": CommitForm(missing_count=roster_import.missing_count),
    })


@require_POST
def import_units(request, pk: int):
    """Agree to create the new units the file names, then check the file again."""
    roster_import = roster_import_for_user(request.user, pk)
    form = UnitsForm(request.POST, new_units=roster_import.new_units,
                     confirmed=roster_import.confirmed_units)
    if form.is_valid():
        try:
            services.confirm_units(roster_import, labels=form.cleaned_data["units"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("roster:import-detail", pk=roster_import.pk)


@require_POST
def import_commit(request, pk: int):
    """Save the checked file: all or nothing; a full import only with the count confirmed."""
    roster_import = roster_import_for_user(request.user, pk)
    form = CommitForm(request.POST, missing_count=roster_import.missing_count)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("roster:import-detail", pk=roster_import.pk)
    full = form.cleaned_data["full"]
    try:
        roster_import = services.request_commit(
            roster_import, full=full,
            confirmed_deactivations=form.cleaned_data["missing_count"] if full else None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if roster_import.status == roster_import.Status.COMMITTED:
            messages.success(request, _("The staff list is saved."))
    return redirect("roster:import-detail", pk=roster_import.pk)
