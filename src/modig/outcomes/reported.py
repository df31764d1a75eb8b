"""Self-reported outcomes: what the follow-up items ask directly (docs/outcome-definitions.md,
"Self-reported improvement" and "The managers' outcomes in the questionnaire").

DESIGN.md reads strengthened knowledge two ways, both shown: measured (outcomes.figures.
measured_improvement, paired ratings) and self-reported (here). The managers' outcomes come
from the manager follow-up questionnaire's items, each with its denominator; the changed
routines also from the change log (plans app), shown beside the questionnaire's figure with
its own denominator, never added to it.

Every figure is a share of a follow-up round's submitted responses:
- numerator: those who answered "yes" ("Ja, mycket" or "Ja, lite"; OUTCOME_YES);
- denominator: those who answered yes or "no". "Vet inte" (don't know) is left out of both,
  and counted apart (`dont_know`) so the pages can say how many were left out; a response
  that skipped the item is in none of them.
Rounds of any anonymity count (no pairing is needed). A round that does not ask the item (a
baseline, or a questionnaire without it) gives None.

Privacy (modig.lib.privacy): the minimum group size is the larger of the programme's and the
round's. A figure whose denominator is below it is hidden (no numerator, no denominator, no
"don't know" count); breakdowns are suppressed as one line with their total (complementary
suppression), as measured improvement is. Nothing here returns or links to a single answer:
the records behind these figures are the counts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from modig.lib import privacy
from modig.organisation.models import Person, Programme, Unit
from modig.outcomes.figures import Proportion, changed_routines
from modig.plans import queries as plans_queries
from modig.surveys.models import (
    OUTCOME_DONT_KNOW,
    OUTCOME_NO,
    OUTCOME_YES,
    Item,
    Response,
    Round,
)

KNOWLEDGE = Item.OutcomeField.KNOWLEDGE_GAIN.value
ROUTINE = Item.OutcomeField.ROUTINE_CHANGED.value
LEADERSHIP = Item.OutcomeField.LEADERSHIP_GAIN.value
FIELDS = (KNOWLEDGE, ROUTINE, LEADERSHIP)
# Breakdowns of the self-reported figures: the response's own group attributes.
GROUPINGS = {"staff_category": "staff_category", "target_group": "target_group_id",
             "municipality": "municipality_id"}


@dataclass(frozen=True)
class Reported:
    """A self-reported share: `proportion` (yes of yes + no, Wilson interval) and
    `dont_know`, the answers "Vet inte" left out of it (None when the figure is hidden)."""

    proportion: Proportion
    dont_know: int | None

    @property
    def key(self):
        return self.proportion.key

    @property
    def hidden(self) -> bool:
        return self.proportion.hidden

    @property
    def reason(self) -> str:
        return self.proportion.reason

    @property
    def numerator(self) -> int | None:
        return self.proportion.numerator

    @property
    def denominator(self) -> int | None:
        return self.proportion.denominator

    @property
    def share(self) -> float | None:
        return self.proportion.share

    @property
    def interval(self) -> tuple[float, float] | None:
        return self.proportion.interval


def min_size(round_: Round) -> int:
    """The minimum group size of a round's figures: the programme's or the round's, the
    larger (never below privacy.FLOOR)."""
    return max(privacy.effective_min_size(round_.min_group_size),
               privacy.effective_min_size(round_.programme.min_group_size))


def asks(round_: Round, field: str) -> bool:
    """Whether the round asks the follow-up item that fills `field`."""
    return (round_.asks_follow_up_items
            and Item.objects.filter(questionnaire_id=round_.questionnaire_id,
                                    kind=Item.Kind.OUTCOME, background_field=field).exists())


def follow_up_rounds(programme: Programme, field: str) -> list[Round]:
    """The programme's published follow-up rounds that ask the item, oldest first."""
    return list(programme.survey_rounds.filter(
        kind=Round.Kind.FOLLOW_UP, published_at__isnull=False,
        questionnaire__items__kind=Item.Kind.OUTCOME,
        questionnaire__items__background_field=field,
    ).distinct().order_by("opens_on", "pk"))


def _responses(round_: Round, municipalities=None, units=None, target_groups=None):
    responses = Response.objects.filter(round=round_, submitted_at__isnull=False)
    if municipalities:
        responses = responses.filter(municipality__in=list(municipalities))
    if units:
        responses = responses.filter(unit__in=Unit.objects.in_subtree_of(list(units)))
    if target_groups:
        responses = responses.filter(target_group__in=list(target_groups))
    return responses


def _counts(field: str):
    return {"yes": Count("pk", filter=Q(**{f"{field}__in": OUTCOME_YES})),
            "no": Count("pk", filter=Q(**{field: OUTCOME_NO})),
            "dont_know": Count("pk", filter=Q(**{field: OUTCOME_DONT_KNOW}))}


def _reported(key, yes: int, no: int, dont_know: int, minimum: int,
              cell: privacy.Cell | None = None) -> Reported:
    answered = yes + no
    hidden = cell.hidden if cell is not None else privacy.is_small(answered, minimum)
    if not hidden and answered == 0 and dont_know:
        # Only "don't know" answers: no share, and too few to say even that when small.
        hidden = privacy.is_small(dont_know, minimum)
    if hidden:
        reason = cell.reason if cell is not None and cell.reason else privacy.SMALL
        return Reported(Proportion(key, None, None, hidden=True, reason=reason), None)
    if answered == 0:
        return Reported(Proportion(key, None, None), dont_know)
    return Reported(Proportion(key, yes, answered), dont_know)


def reported_share(round_: Round, field: str, municipalities=None, *, units=None,
                   target_groups=None) -> Reported | None:
    """The share who answered yes to the round's follow-up item `field` (see the module
    docstring), narrowed to the responses given in the municipalities, units (with the units
    below) and target groups. None when the round does not ask the item."""
    if field not in FIELDS:
        raise ValueError(f"Unknown follow-up item {field!r}")
    if not asks(round_, field):
        return None
    row = _responses(round_, municipalities, units, target_groups).aggregate(**_counts(field))
    return _reported(None, row["yes"], row["no"], row["dont_know"], min_size(round_))


def reported_share_by(round_: Round, field: str, group_by: str, municipalities=None, *,
                      units=None, target_groups=None) -> list[Reported] | None:
    """reported_share per group of the response: staff_category (key: the category, "" for
    not stated), target_group or municipality (key: the id, None for not stated). Suppressed
    as one line over the groups with their total (the denominators), so a hidden group
    cannot be computed from the others. None when the round does not ask the item."""
    if group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    if field not in FIELDS:
        raise ValueError(f"Unknown follow-up item {field!r}")
    if not asks(round_, field):
        return None
    column = GROUPINGS[group_by]
    rows = list(_responses(round_, municipalities, units, target_groups)
                .filter(**{f"{field}__isnull": False}).values(column)
                .annotate(**_counts(field)).order_by(column))
    minimum = min_size(round_)
    cells, _total = privacy.suppress_breakdown(
        {row[column]: row["yes"] + row["no"] for row in rows}, min_size=minimum)
    return [_reported(row[column], row["yes"], row["no"], row["dont_know"], minimum,
                      cells[row[column]]) for row in rows]


def self_reported_improvement(follow_up_round: Round, municipalities=None, *, units=None,
                              target_groups=None) -> Reported | None:
    """Self-reported stronger digital knowledge (the staff follow-up item "Har dina
    kunskaper om digital teknik blivit bättre …"): yes of those who answered yes or no."""
    return reported_share(follow_up_round, KNOWLEDGE, municipalities, units=units,
                          target_groups=target_groups)


def self_reported_improvement_by(follow_up_round: Round, group_by: str, municipalities=None,
                                 *, units=None, target_groups=None) -> list[Reported] | None:
    """self_reported_improvement by staff_category, target_group or municipality."""
    return reported_share_by(follow_up_round, KNOWLEDGE, group_by, municipalities,
                             units=units, target_groups=target_groups)


def managers_changed_routine(follow_up_round: Round, municipalities=None, *, units=None,
                             target_groups=None) -> Reported | None:
    """Managers who changed at least one routine to a digital or mobile way of working, as
    they answered the manager follow-up item: yes ("several" or "one") of yes + no."""
    return reported_share(follow_up_round, ROUTINE, municipalities, units=units,
                          target_groups=target_groups)


def managers_strengthened_leadership(follow_up_round: Round, municipalities=None, *,
                                     units=None, target_groups=None) -> Reported | None:
    """Managers whose ability to lead a digitalised workplace has become stronger, as they
    answered the manager follow-up item: yes of yes + no."""
    return reported_share(follow_up_round, LEADERSHIP, municipalities, units=units,
                          target_groups=target_groups)


@dataclass(frozen=True)
class RoutineSources:
    """Changed routines from both sources, each with its own denominator, never added up:
    `questionnaire`, the round's item (None when the round does not ask it); `change_log`,
    figures.changed_routines (all managers in scope); `change_log_respondents`, in a
    pseudonymous round, the change log read for the managers who answered the item yes or
    no (the same people as the questionnaire's denominator, where they are managers in
    scope), so the two sources can be compared for one group; None in an anonymous round."""

    round: Round
    questionnaire: Reported | None
    change_log: Proportion
    change_log_respondents: Proportion | None


def changed_routine_sources(follow_up_round: Round, municipalities=None, *,
                            units=None) -> RoutineSources:
    """The managers' changed routines from the questionnaire and from the change log."""
    programme = follow_up_round.programme
    municipalities = list(municipalities or ())
    units = list(units or ())
    questionnaire = managers_changed_routine(follow_up_round, municipalities, units=units)
    log = changed_routines(programme, municipalities, units)
    respondents = None
    if questionnaire is not None and follow_up_round.is_pseudonymous:
        keys = (_responses(follow_up_round, municipalities, units)
                .filter(respondent_key__isnull=False,
                        **{f"{ROUTINE}__in": (*OUTCOME_YES, OUTCOME_NO)})
                .values("respondent_key"))
        people = Person.objects.filter(pseudonym__in=keys)
        managers = plans_queries.managers_in_scope(
            programme, municipalities=municipalities, units=units, people=people).count()
        changed = plans_queries.managers_with_changed_routine(
            programme, municipalities=municipalities, units=units, people=people).count()
        cells, total = privacy.suppress_breakdown(
            {"changed": changed, "unchanged": managers - changed},
            min_size=min_size(follow_up_round))
        if cells["changed"].hidden or total.hidden:
            respondents = Proportion(None, None, None, hidden=True,
                                     reason=cells["changed"].reason or total.reason)
        elif managers:
            respondents = Proportion(None, changed, managers)
        else:
            respondents = Proportion(None, None, None)
    return RoutineSources(follow_up_round, questionnaire, log, respondents)
