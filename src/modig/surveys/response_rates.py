"""Live response rates: how many were invited and how many have answered, per unit,
municipality and programme, counted in the database (GROUP BY, never loading rows).

They say nothing about what anyone answered. A unit with fewer invited people than the
round's minimum group size shows no answered count and no rate ("too few to show"); such units
are added together in one row when the sum is large enough. Known limit: these counts do not
go through lib/privacy's complementary suppression, so where one unit of a municipality is
hidden, the municipality's answered count minus its shown units gives that unit's count (how
many answered there, never what anyone answered).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from modig.surveys.models import Invitation, Round

ANSWERED = Count("pk", filter=Q(submitted_at__isnull=False))


@dataclass(frozen=True)
class Rate:
    label: str
    invited: int
    answered: int | None  # None: too few to show
    key: object = None

    @property
    def hidden(self) -> bool:
        return self.answered is None

    @property
    def percent(self) -> int | None:
        if self.answered is None or not self.invited:
            return None
        return round(100 * self.answered / self.invited)


def _rate(label, invited, answered, min_size, key=None) -> Rate:
    return Rate(label, invited, answered if invited >= min_size else None, key)


def total(round_: Round, invitations: QuerySet | None = None, *, label: str = "") -> Rate:
    """One figure for the given invitations (default: the whole round)."""
    queryset = invitations if invitations is not None else round_.invitations.all()
    row = queryset.aggregate(invited=Count("pk"), answered=ANSWERED)
    return _rate(label, row["invited"], row["answered"], round_.min_group_size)


def by_municipality(round_: Round, municipalities: QuerySet | None = None) -> list[Rate]:
    queryset = round_.invitations.all()
    if municipalities is not None:
        queryset = queryset.filter(municipality__in=municipalities)
    rows = (queryset.values("municipality_id", "municipality__name")
            .annotate(invited=Count("pk"), answered=ANSWERED).order_by("municipality__name"))
    return [_rate(row["municipality__name"], row["invited"], row["answered"],
                  round_.min_group_size, row["municipality_id"]) for row in rows]


def by_unit(round_: Round, units: QuerySet | None = None, *,
            small_label: str = "") -> list[Rate]:
    """Per unit where people were invited; units too small to show are added together in one
    row at the end (labelled `small_label`) when their sum is large enough."""
    queryset = round_.invitations.filter(unit__isnull=False)
    if units is not None:
        queryset = queryset.filter(unit__in=units)
    rows = (queryset.values("unit_id", "unit__name", "unit__municipality__name")
            .annotate(invited=Count("pk"), answered=ANSWERED)
            .order_by("unit__municipality__name", "unit__name"))
    shown, small_invited, small_answered = [], 0, 0
    for row in rows:
        rate = _rate(f"{row['unit__name']} ({row['unit__municipality__name']})",
                     row["invited"], row["answered"], round_.min_group_size, row["unit_id"])
        shown.append(rate)
        if rate.hidden:
            small_invited += row["invited"]
            small_answered += row["answered"]
    if small_label and small_invited >= round_.min_group_size:
        shown.append(Rate(small_label, small_invited, small_answered))
    return shown


def by_round(rounds) -> dict[int, Rate]:
    """{round id: rate} for a list of rounds in one query (the round list)."""
    rounds = list(rounds)
    minimum = {r.pk: r.min_group_size for r in rounds}
    rows = (Invitation.objects.filter(round__in=rounds).values("round_id")
            .annotate(invited=Count("pk"), answered=ANSWERED).order_by())
    return {row["round_id"]: _rate("", row["invited"], row["answered"],
                                   minimum[row["round_id"]])
            for row in rows}
