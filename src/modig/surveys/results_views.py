"""Results pages of a survey round: figures, charts, heatmap, exports, lowest scores.

Each view: scoped getter (surveys.access) → filters from GET → surveys.results → response.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts import access as account_access
from modig.accounts.models import AccessLogEntry
from modig.lib.privacy import ALL
from modig.organisation.models import Unit
from modig.surveys import access, charts, exports, results, scale
from modig.surveys.access import MUNICIPALITY, UNIT, Place
from modig.surveys.results_snapshot import current_snapshot


def _place_from(request, round_) -> tuple[Place, list[Place]]:
    """The place in `plats` (k<municipality id> or e<unit id>), else the user's first
    starting place. Outside the user's scope: 404."""
    roots = access.root_places(request.user, round_)
    if not roots:
        raise Http404
    value = request.GET.get("plats", "")
    place = None
    if value[:1] in ("k", "e") and value[1:].isdigit():
        pk = int(value[1:])
        if value[0] == "k":
            municipality = round_.programme.municipalities.filter(pk=pk).first()
            place = Place(MUNICIPALITY, municipality) if municipality else None
        else:
            unit = (Unit.objects.select_related("municipality")
                    .filter(pk=pk, municipality__programmes=round_.programme).first())
            place = Place(UNIT, unit) if unit else None
        if place is None or not access.may_open(request.user, place):
            raise Http404
    return place or roots[0], roots


def _choice(request, name):
    """An id filter from GET: ALL when absent or not a number, None for "not stated"."""
    value = request.GET.get(name, "")
    if value == "ingen":
        return None
    return int(value) if value.isdigit() else ALL


def _results_for(request, pk):
    """(results, roots), or (round, None) while a big round's first snapshot is built."""
    round_ = access.round_for_results(request.user, pk)
    place, roots = _place_from(request, round_)
    snapshot = current_snapshot(round_)
    if snapshot.built_at is None:
        return round_, None
    per = request.GET.get("per", results.PER_PLACE)
    if per not in results.PER_CHOICES:
        per = results.PER_PLACE
    data = results.round_results(round_, place, occupation=_choice(request, "yrke"),
                                 target_group=_choice(request, "malgrupp"), per=per,
                                 snapshot=snapshot)
    return data, roots


def _preparing(request, round_):
    return render(request, "surveys/results/preparing.html", {"round": round_})


def _visible_chain(user, chain: list[Place]) -> list[Place]:
    return [p for p in chain if access.may_open(user, p) or (
        p.kind == "programme" and account_access.is_programme_admin(user))]


def _step_legend():
    return [(f"step-{value}", str(label)) for value, label in scale.STEPS] + [
        ("step-0", str(scale.CHOICES[-1][1]))]


def _profile_chart(data):
    rows = []
    for area in data.areas:
        parts = [(f"step-{s['value']}", s["percent"], f"{s['value']}: {s['percent']} %")
                 for s in area.distribution.steps]
        parts.append(("step-0", area.distribution.dont_know_percent,
                      f"?: {area.distribution.dont_know_percent} %"))
        rows.append((area.area.title, parts))
    return charts.stacked_distribution(_("Answers per step, by competence area"), rows,
                                       _step_legend())


def _comparison_chart(data):
    if data.comparison is None:
        return None
    rows = [(c.area.title, [("series-baseline", c.baseline_mean, _("Baseline")),
                            ("series-current", c.mean, _("This round"))])
            for c in data.comparison.areas]
    return charts.mean_bars(_("Mean self-rating before and now"), rows,
                            [("series-baseline", _("Baseline")),
                             ("series-current", _("This round"))])


def round_results(request, pk):
    """A round's results for a place, narrowed by occupation and target group (GET form)."""
    data, roots = _results_for(request, pk)
    if roots is None:
        return _preparing(request, data)
    query = request.GET.copy()
    return render(request, "surveys/results/round_results.html", {
        "data": data,
        "round": data.round,
        "roots": roots,
        "breadcrumbs": _visible_chain(request.user, data.chain),
        "profile_chart": _profile_chart(data) if data.areas else None,
        "comparison_chart": _comparison_chart(data),
        "steps": scale.STEPS,
        "dont_know_label": scale.CHOICES[-1][1],
        "query": query.urlencode(),
        "selected_occupation": "" if data.occupation is ALL else (
            "ingen" if data.occupation is None else str(data.occupation)),
        "selected_target_group": "" if data.target_group is ALL else (
            "ingen" if data.target_group is None else str(data.target_group)),
        "can_list_lowest": access.can_list_lowest_scores(request.user),
        "heat_legend": range(1, 6),
    })


def round_results_export(request, pk, fmt):
    """The page's figures as CSV or XLSX, under the same rules; logged."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    data, roots = _results_for(request, pk)
    if roots is None:
        return _preparing(request, data)
    account_access.log_access(
        request, AccessLogEntry.Action.EXPORT,
        detail=f"survey results round {data.round.pk} {fmt} {request.GET.urlencode()}")
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="resultat-omgang-{data.round.pk}-{stamp}.{fmt}"')
    return response


def round_lowest_scores(request, pk):
    """Staff with the lowest self-ratings, for forming training groups: personal data, so
    only for the roles surveys.access allows, only in pseudonymous rounds, every view logged."""
    if not access.can_list_lowest_scores(request.user):
        raise PermissionDenied
    round_ = access.round_for_results(request.user, pk)
    place, roots = _place_from(request, round_)
    context = {"round": round_, "place": place, "roots": roots, "rows": [], "areas": []}
    if round_.is_pseudonymous:
        limit = request.GET.get("antal", "")
        limit = min(100, max(1, int(limit))) if limit.isdigit() else 20
        rows, areas = results.lowest_scores(round_, place, limit=limit)
        account_access.log_access(
            request, AccessLogEntry.Action.VIEW_PERSON,
            detail=f"lowest self-ratings round {round_.pk} {place.param or 'programme'}: "
                   f"{len(rows)} people")
        context.update(rows=rows, areas=areas, limit=limit)
    return render(request, "surveys/results/lowest_scores.html", context)



