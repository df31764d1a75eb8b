"""Live response rates: how many were invited and how many have answered, per unit,
municipality and programme, counted in the database (GROUP BY, never loading rows).

They say nothing about what anyone answered, and the answered counts go through lib/privacy
like every other aggregate of people. A group with fewer invited people than the round's
minimum group size shows no answered count and no rate ("too few to show"), and complementary
suppression hides more where a hidden count would follow by subtraction: a municipality's units
(with the invitations of no unit as one more member) add up to the municipality, the
municipalities to the round, and a user's units to the "your units" figure. The hidden/shown
state is decided over the whole round, so every viewer sees the same groups hidden; a group
hidden only to protect another says so (`Rate.protects_others`) rather than "too few". Hidden
units are added together in one row when at least two of them cover at least the minimum.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from modig.lib.privacy import (
    ALL,
    COMPLEMENT,
    SMALL,
    Cell,
    Cube,
    effective_min_size,
    line_is_safe,
    suppress_breakdown,
)
from modig.surveys.models import Invitation, Round

ANSWERED = Count("pk", filter=Q(submitted_at__isnull=False))


@dataclass(frozen=True)
class Rate:
    label: str
    invited: int
    answered: int | None  # None: hidden
    key: object = None
    # Why it is hidden: privacy.SMALL (too few invited) or privacy.COMPLEMENT (enough invited,
    # hidden so that a smaller group beside it cannot be worked out).
    hidden_because: str = ""

    @property
    def hidden(self) -> bool:
        return self.answered is None

    @property
    def protects_others(self) -> bool:
        """Hidden although enough were invited: the page says why, not "too few"."""
        return self.hidden and self.hidden_because == COMPLEMENT

    @property
    def percent(self) -> int | None:
        if self.answered is None or not self.invited:
            return None
        return round(100 * self.answered / self.invited)


@dataclass
class _Group:
    """The invitations of one unit (or of no unit) in one municipality."""

    municipality_id: int | None
    municipality: str
    unit_id: int | None
    unit: str
    invited: int
    answered: int


class RoundRates:
    """One round's counts per municipality and unit (one query) and what may be shown. A page
    that shows several of its figures builds it once (`for_round`) and asks it for each."""

    def __init__(self, round_: Round):
        self.min_size = effective_min_size(round_.min_group_size)
        rows = (round_.invitations.values("municipality_id", "municipality__name", "unit_id",
                                          "unit__name")
                .annotate(invited=Count("pk"), answered=ANSWERED).order_by())
        self.groups = [_Group(row["municipality_id"], row["municipality__name"] or "",
                              row["unit_id"], row["unit__name"] or "", row["invited"],
                              row["answered"]) for row in rows]
        invited_by_municipality: dict = defaultdict(int)
        for group in self.groups:
            invited_by_municipality[group.municipality_id] += group.invited
        self.municipality_cells, self.total_cell = suppress_breakdown(
            invited_by_municipality, min_size=self.min_size)
        self.unit_cells: dict[tuple, Cell] = {}
        for municipality_id, cell in self.municipality_cells.items():
            members = {(g.unit_id,): g.invited for g in self.groups
                       if g.municipality_id == municipality_id}
            cube = Cube(1, members, min_size=self.min_size)
            if cell.hidden:
                cube.hide((ALL,), cell.reason or COMPLEMENT)  # members must not add up to it
            else:
                cube.fix((ALL,))
            cube.suppress()
            for (unit_id,), _count in members.items():
                self.unit_cells[(municipality_id, unit_id)] = cube.cells[(unit_id,)]

    def rate(self, label: str, invited: int, answered: int, cell: Cell, key=None) -> Rate:
        if cell.hidden:
            return Rate(label, invited, None, key,
                        SMALL if invited < self.min_size else COMPLEMENT)
        return Rate(label, invited, answered, key)

    def total(self, label: str = "") -> Rate:
        return self.rate(label, sum(g.invited for g in self.groups),
                         sum(g.answered for g in self.groups), self.total_cell)

    def scope(self, unit_ids: set, label: str = "") -> Rate:
        """The invitations of these units together: hidden when, with the units shown beside
        it, it would give away a hidden unit (or a small set of them)."""
        groups = [g for g in self.groups if g.unit_id in unit_ids]
        invited = sum(g.invited for g in groups)
        cell = Cell(invited, hidden=invited < self.min_size)
        members = [self.unit_cells[(g.municipality_id, g.unit_id)] for g in groups]
        if cell.shown and not line_is_safe(members, cell, self.min_size):
            cell.hide(COMPLEMENT)
        return self.rate(label, invited, sum(g.answered for g in groups), cell)


    def by_municipality(self, municipalities=None) -> list[Rate]:
        """Per municipality with invitations (of the given ones), by name."""
        wanted = None if municipalities is None else {m.pk for m in municipalities}
        invited, answered, names = defaultdict(int), defaultdict(int), {}
        for group in self.groups:
            if wanted is None or group.municipality_id in wanted:
                invited[group.municipality_id] += group.invited
                answered[group.municipality_id] += group.answered
                names[group.municipality_id] = group.municipality
        return [self.rate(names[pk], invited[pk], answered[pk], self.municipality_cells[pk], pk)
                for pk in sorted(names, key=lambda pk: names[pk])]

    def by_unit(self, units=None, *, hidden_label: str = "") -> list[Rate]:
        """Per unit (of the given ones) where people were invited; hidden units are added
        together in one row at the end (labelled `hidden_label`) when at least two of them
        cover at least the minimum (as lib/privacy lets a union of hidden cells be known)."""
        wanted = None if units is None else {unit.pk for unit in units}
        groups = sorted((g for g in self.groups if g.unit_id is not None
                         and (wanted is None or g.unit_id in wanted)),
                        key=lambda g: (g.municipality, g.unit))
        shown, hidden = [], []
        for group in groups:
            cell = self.unit_cells[(group.municipality_id, group.unit_id)]
            shown.append(self.rate(f"{group.unit} ({group.municipality})", group.invited,
                                   group.answered, cell, group.unit_id))
            if cell.hidden:
                hidden.append(group)
        invited = sum(g.invited for g in hidden)
        if hidden_label and len(hidden) >= 2 and invited >= self.min_size:
            shown.append(Rate(hidden_label, invited, sum(g.answered for g in hidden)))
        return shown


def for_round(round_: Round) -> RoundRates:
    return RoundRates(round_)


def total(round_: Round, *, label: str = "") -> Rate:
    """The whole round."""
    return RoundRates(round_).total(label)


def for_units(round_: Round, units, *, label: str = "") -> Rate:
    """The invitations of the given units together ("your units")."""
    return RoundRates(round_).scope({unit.pk for unit in units}, label)


def by_municipality(round_: Round, municipalities=None) -> list[Rate]:
    return RoundRates(round_).by_municipality(municipalities)


def by_unit(round_: Round, units=None, *, hidden_label: str = "") -> list[Rate]:
    return RoundRates(round_).by_unit(units, hidden_label=hidden_label)


def by_round(rounds) -> dict[int, Rate]:
    """{round id: rate} for a list of rounds in one query (the round list)."""
    rounds = list(rounds)
    minimum = {r.pk: effective_min_size(r.min_group_size) for r in rounds}
    rows = (Invitation.objects.filter(round__in=rounds).values("round_id")
            .annotate(invited=Count("pk"), answered=ANSWERED).order_by())
    return {row["round_id"]: Rate("", row["invited"],
                                  row["answered"] if row["invited"] >= minimum[row["round_id"]]
                                  else None)
            for row in rows}
