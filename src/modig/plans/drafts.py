"""A draft action plan from the municipality's survey results: one goal per competence area
with the lowest mean scores in the latest closed baseline round. The figures come from
surveys.results (through lib/privacy), so a municipality whose group is hidden gets no
figures, and nothing below the municipality is read."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from modig.surveys import results
from modig.surveys.access import MUNICIPALITY, Place
from modig.surveys.models import Round

GOALS = 3


@dataclass
class ProposedGoal:
    text: str
    competences: list


def latest_closed_baseline(municipality) -> Round | None:
    today = timezone.localdate()
    return (Round.objects.filter(kind=Round.Kind.BASELINE, published_at__isnull=False,
                                 programme__municipalities=municipality)
            .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
            .filter(Q(municipalities=municipality) | Q(municipalities__isnull=True))
            .distinct().order_by("-closes_on", "-pk").first())


def proposed_goals(municipality, *, count: int = GOALS) -> tuple[Round | None,
                                                                 list[ProposedGoal]]:
    """(the round read, the goals); no goals when no round or the group is hidden."""
    round_ = latest_closed_baseline(municipality)
    if round_ is None:
        return None, []
    data = results.round_results(round_, Place(MUNICIPALITY, municipality))
    if not data.shown:
        return round_, []
    rated = [area for area in data.areas if area.distribution.mean is not None]
    lowest = sorted(rated, key=lambda area: (area.distribution.mean, area.area.position))[:count]
    closed = round_.closed_at.date() if round_.closed_at else round_.closes_on
    goals = []
    for area in lowest:
        text = _("Raise the staff's competence in %(area)s. In the survey %(round)s (closed "
                 "%(date)s) %(municipality)s had a mean of %(mean)s on the scale 1–5 here, "
                 "one of its lowest areas.") % {
            "area": area.area.title_sv, "round": round_.name,
            "date": formats.date_format(closed, "j F Y"), "municipality": municipality.name,
            "mean": formats.number_format(area.distribution.mean, 1)}
        goals.append(ProposedGoal(text=text,
                                  competences=[c.competence for c in area.competences]))
    return round_, goals
