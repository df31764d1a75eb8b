"""Outcome dashboards (programme, municipality, unit), the definitions page and the records
behind a figure.

Who sees what: the programme dashboard is the programme office's; a municipality's is its
coordinators' and the office's; a unit's is its unit managers' (their units and the units
below), its municipality's coordinators' and the office's. The records behind a figure name
people, so only the office and the municipality's coordinators get them (every view logged).
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from modig.accounts import access
from modig.accounts.models import AccessLogEntry, Role
from modig.organisation.models import Municipality, Person, Programme, TargetGroup, Unit
from modig.outcomes import dashboard
from modig.outcomes.dashboard import MUNICIPALITY, PROGRAMME, UNIT, Place
from modig.outcomes.forms import DashboardFilter
from modig.training import ledger

RECORDS_PER_PAGE = 50


def _programme() -> Programme:
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise Http404
    return programme


def _may_see_municipality(user, municipality: Municipality) -> bool:
    return (access.is_programme_admin(user)
            or municipality.pk in access.coordinated_municipality_ids(user))


def _managed_units(user):
    return [unit for a in access.current_assignments(user) if a.role == Role.UNIT_MANAGER
            for unit in a.units.all()]


def index(request):
    """The dashboards the user may open."""
    user = request.user
    municipalities = (Municipality.objects.filter(pk__in=_programme().municipalities.all())
                      if access.is_programme_admin(user) else
                      Municipality.objects.filter(pk__in=access.coordinated_municipality_ids(user)))
    units = _managed_units(user)
    if not (access.is_programme_admin(user) or municipalities or units):
        raise PermissionDenied
    return render(request, "outcomes/index.html", {
        "programme": access.is_programme_admin(user), "municipalities": municipalities,
        "units": units})


def _render(request, place: Place, form: DashboardFilter):
    charts = [dashboard.trend_chart(place)]
    if place.kind == PROGRAMME:
        charts.insert(0, dashboard.targets_chart(place))
        charts.append(dashboard.breakdown_chart(place, "municipality",
                                                _("People trained per municipality")))
    else:
        charts.append(dashboard.breakdown_chart(place, "unit", _("People trained per unit")))
    charts += [
        dashboard.breakdown_chart(place, "staff_category", _("People trained per staff category")),
        dashboard.breakdown_chart(place, "target_group", _("People trained per target group")),
        dashboard.breakdown_chart(place, "gender", _("People trained by gender")),
        dashboard.breakdown_chart(place, "age_band",
                                  _("People trained by age at the programme start")),
        dashboard.breakdown_chart(place, "format", _("Training by course format")),
    ]
    if place.kind != UNIT:
        charts += dashboard.survey_charts(place)
    charts += dashboard.self_reported_charts(place)
    charts += dashboard.manager_charts(place)
    charts += dashboard.manager_reported_charts(place)
    rounds = place.programme.survey_rounds.filter(published_at__isnull=False).order_by(
        "-opens_on")
    total = dashboard.figures.trained(place.period_programme(), place.ledger_filter())
    return render(request, "outcomes/dashboard.html", {
        "place": place, "form": form, "charts": charts, "total": total, "rounds": rounds,
        "records_link": place.records_query() if place.may_see_records else ""})


def _filtered(request, place: Place, *, municipalities=None) -> tuple[Place, DashboardFilter]:
    form = DashboardFilter(request.GET or None, municipalities=municipalities)
    if form.is_valid():
        place.starts_on = form.cleaned_data.get("fran")
        place.ends_on = form.cleaned_data.get("till")
        place.target_group = form.cleaned_data.get("malgrupp")
        if form.cleaned_data.get("kommun"):
            place.municipalities = [form.cleaned_data["kommun"]]
    return place, form


def programme_dashboard(request):
    if not access.is_programme_admin(request.user):
        raise PermissionDenied
    programme = _programme()
    place = Place(PROGRAMME, programme, may_see_records=True)
    place, form = _filtered(request, place, municipalities=programme.municipalities.all())
    return _render(request, place, form)


def municipality_dashboard(request, code: str):
    municipality = access.municipality_for_user(request.user, code)
    if not _may_see_municipality(request.user, municipality):
        raise PermissionDenied
    place = Place(MUNICIPALITY, _programme(), municipality=municipality, may_see_records=True)
    place, form = _filtered(request, place)
    return _render(request, place, form)


def _may_see_unit(user, unit: Unit) -> bool:
    if _may_see_municipality(user, unit.municipality):
        return True
    return any(unit.path.startswith(managed.path) for managed in _managed_units(user))


def unit_dashboard(request, pk: int):
    unit = access.unit_for_user(request.user, pk)
    if not _may_see_unit(request.user, unit):
        raise PermissionDenied
    place = Place(UNIT, _programme(), municipality=unit.municipality, unit=unit,
                  may_see_records=_may_see_municipality(request.user, unit.municipality))
    place, form = _filtered(request, place)
    return _render(request, place, form)


def definitions(request):
    from modig.outcomes import figures

    return render(request, "outcomes/definitions.html", {
        "margin": figures.IMPROVEMENT_MARGIN})


def records(request):
    """The ledger entries behind a figure (same filter as the dashboard's), paginated: each
    person, session meeting, distance completion or coaching entry, so a count can be checked
    by hand. The distinct people on these pages are the figure's people."""
    user = request.user
    programme = _programme()
    code = request.GET.get("kommun", "")
    municipality = None
    if code:
        municipality = access.municipality_for_user(user, code)
        if not _may_see_municipality(user, municipality):
            raise PermissionDenied
    elif not access.is_programme_admin(user):
        coordinated = Municipality.objects.filter(
            pk__in=access.coordinated_municipality_ids(user)).first()
        if coordinated is None:
            raise PermissionDenied
        return redirect(f"{request.path}?kommun={coordinated.code}")
    place = Place(PROGRAMME if municipality is None else MUNICIPALITY, programme,
                  municipality=municipality, may_see_records=True)
    unit_pk = request.GET.get("enhet", "")
    if unit_pk.isdigit():
        unit = access.unit_for_user(user, int(unit_pk))
        if not _may_see_municipality(user, unit.municipality) or (
                municipality and unit.municipality_id != municipality.pk):
            raise Http404
        place.unit = unit
    form = DashboardFilter(request.GET)
    if form.is_valid():
        place.starts_on = form.cleaned_data.get("fran")
        place.ends_on = form.cleaned_data.get("till")
        place.target_group = form.cleaned_data.get("malgrupp")
    period = place.period_programme()
    filters = place.ledger_filter()
    total = ledger.totals(period, filters)
    page = Paginator(ledger.records_behind(period, filters), RECORDS_PER_PAGE).get_page(
        request.GET.get("sida"))
    people = Person.objects.in_bulk({row["entry_person"] for row in page.object_list})
    kinds = {ledger.ATTENDANCE: _("Session"), ledger.DISTANCE: _("Distance course"),
             "coaching": _("Coaching")}
    rows = [{**row, "person": people.get(row["entry_person"]),
             "kind": kinds.get(row["entry_kind"], row["entry_kind"])}
            for row in page.object_list]
    access.log_access(request, AccessLogEntry.Action.VIEW_PERSON,
                      detail=f"outcomes records: kommun={code} enhet={unit_pk} sida={page.number}")
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "outcomes/records.html", {
        "place": place, "total": total, "page": page, "rows": rows,
        "query": query.urlencode(), "target_group": place.target_group,
        "target_groups": TargetGroup.objects.all()})
