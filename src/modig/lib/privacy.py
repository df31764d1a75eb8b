"""Small-group suppression: the one module every aggregate of people goes through (DESIGN.md,
"Privacy rules").

Rules
-----
1. Minimum group size. A figure about fewer than `min_size` people is hidden ("primary"
   suppression). `min_size` is the round's (or programme's) minimum, but never below
   `FLOOR` (3), whatever the caller passes (`effective_min_size`).
2. Complementary suppression. Figures are published as tables whose cells add up to totals
   (a breakdown adds up to its total; a table of rows × columns adds up to its margins). Each
   such sum is a *line*: members plus their total. In every line the hidden members must be
   either none, or at least two AND together cover at least `min_size` people (or the line's
   total must be hidden too). Otherwise "total minus the shown members" gives a hidden cell or
   a small union of hidden cells. The rule is applied to every line of the table, over and
   over, until nothing changes. The next cell to hide is always the smallest shown non-empty
   sibling (least information lost).
3. The complement rule follows from 2: a group whose complement within its parent has 1 to
   `min_size - 1` people is hidden, because otherwise parent minus group reveals that small
   complement.
4. Everything about a hidden group is hidden: its count, its mean, its distribution. A
   distribution over scale steps inside a shown group is allowed (the rule is on group size:
   a step count of 1 among 5 people says nothing about who).

What the module guarantees
--------------------------
For one table (`Cube`: any number of dimensions, each with an "all" margin), nothing hidden
can be computed exactly by adding and subtracting published cells of that table. Pages that
show several views of the same data stay safe by taking every figure from ONE cube (so a
group has the same hidden/shown state whichever breakdown or filter shows it), and by fixing
the cells a coarser cube already published (`fixed`) and hiding the rows under a group the
coarser cube hid (`hide_below`). `surveys.results` builds its pages that way.

What it does not guarantee
--------------------------
- Bounds: an attacker may still learn that a hidden cell lies in a range (e.g. 0-8).
- Tables built from different populations (another round, pairs of rounds) are suppressed on
  their own; the pages only show whole groups from those, never breakdowns.
- Outside knowledge (knowing that exactly two nurses work nights) is out of scope.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

FLOOR = 3
DEFAULT_MIN_SIZE = 5

ALL = "__all__"  # the margin ("all values") of a dimension

SMALL = "small"  # fewer people than the minimum
COMPLEMENT = "complement"  # hidden so that a hidden sibling cannot be computed
ABOVE = "above"  # the group it belongs to is hidden at a coarser level


def effective_min_size(min_size: int | None) -> int:
    """The minimum group size actually applied: the given one, never below FLOOR."""
    if min_size is None:
        return DEFAULT_MIN_SIZE
    return max(FLOOR, int(min_size))


@dataclass
class Cell:
    """One published figure about a group of `count` people; `hidden` with a `reason`."""

    count: int
    hidden: bool = False
    reason: str = ""
    fixed: bool = False  # already published elsewhere: must stay shown

    @property
    def shown(self) -> bool:
        return not self.hidden

    def hide(self, reason: str) -> None:
        if not self.hidden:
            self.hidden = True
            self.reason = reason


def is_small(count: int, min_size: int) -> bool:
    """Primary rule: a non-empty group below the minimum."""
    return 0 < count < effective_min_size(min_size)


def _line_is_safe(members: list[Cell], total: Cell, min_size: int) -> bool:
    """Whether no hidden member (nor a small union of them) follows from this one line."""
    hidden = [c for c in members if c.hidden and c.count > 0]
    if total.shown:
        # total - shown members = the hidden ones together: need two or more, and together
        # at least min_size people.
        return not hidden or (len(hidden) >= 2 and sum(c.count for c in hidden) >= min_size)
    # A hidden total must not be the sum of shown members.
    return bool(hidden) or not any(c.count > 0 for c in members)


def line_is_safe(members: list[Cell], total: Cell, min_size: int) -> bool:
    """For a sum published outside a Cube (a user's own units together, say): whether `total`
    beside its `members` gives away no hidden member, nor a small union of them."""
    return _line_is_safe(members, total, effective_min_size(min_size))


def _protect_line(members: list[Cell], total: Cell, min_size: int) -> bool:
    """Hide more cells of one line (members + total) until it is safe; the smallest shown
    non-empty member first, the total when no member is left. Returns whether anything
    changed."""
    changed = False
    while not _line_is_safe(members, total, min_size):
        candidates = [c for c in members if c.shown and not c.fixed and c.count > 0]
        if candidates:
            min(candidates, key=lambda c: c.count).hide(COMPLEMENT)
        elif total.shown and not total.fixed:
            total.hide(COMPLEMENT)
        else:
            # Only cells published elsewhere are left: they were protected there, where the
            # same line was made safe (a fixed total is at least min_size).
            return changed
        changed = True
    return changed


class Cube:
    """Counts over several dimensions with an "all" margin in each, suppressed consistently.

    `counts` maps a full key (one value per dimension, no ALL) to a count; margins are
    computed here from the full data. After `suppress()`, `cells[key]` holds every cell,
    margins included (ALL in the margin dimensions).
    """

    def __init__(self, dimensions: int, counts: Mapping[tuple, int], *, min_size: int,
                 values: Iterable[Iterable[Hashable]] | None = None):
        self.dimensions = dimensions
        self.min_size = effective_min_size(min_size)
        domains = [set() for _ in range(dimensions)]
        for key in counts:
            for d, value in enumerate(key):
                domains[d].add(value)
        if values is not None:
            for d, extra in enumerate(values):
                domains[d].update(extra)
        self.domains = [sorted(domain, key=_sort_key) for domain in domains]
        self.cells: dict[tuple, Cell] = {}
        for key in itertools.product(*[[*domain, ALL] for domain in self.domains]):
            self.cells[key] = Cell(0)
        for key, count in counts.items():
            for margin in itertools.product(*[(value, ALL) for value in key]):
                self.cells[margin].count += count

    @property
    def total(self) -> Cell:
        return self.cells[(ALL,) * self.dimensions]

    def fix(self, key: tuple) -> None:
        """Mark a cell as published elsewhere: it stays shown (unless it is small)."""
        self.cells[key].fixed = True

    def hide(self, key: tuple, reason: str = ABOVE) -> None:
        self.cells[key].hide(reason)

    def suppress(self) -> Cube:
        """Apply the primary rule, then complementary suppression on every line until stable."""
        for cell in self.cells.values():
            if cell.count > 0 and cell.count < self.min_size:
                cell.hide(SMALL)
                cell.fixed = False
        if self.total.count < self.min_size:
            for cell in self.cells.values():
                cell.hide(SMALL if cell.count else ABOVE)
            return self
        lines = list(self._lines())
        changed = True
        while changed:
            changed = False
            for members, total in lines:
                if _protect_line(members, total, self.min_size):
                    changed = True
        return self

    def _lines(self):
        for d in range(self.dimensions):
            others = [[*domain, ALL] for i, domain in enumerate(self.domains) if i != d]
            for rest in itertools.product(*others):
                def key(value, rest=rest, d=d):
                    return (*rest[:d], value, *rest[d:])
                members = [self.cells[key(v)] for v in self.domains[d]]
                yield members, self.cells[key(ALL)]

    def shown(self, key: tuple) -> bool:
        cell = self.cells.get(key)
        return cell is not None and cell.shown

    def line(self, dimension: int, at: tuple) -> list[tuple[Hashable, Cell]]:
        """The members of the line along `dimension` through `at` (a full key)."""
        result = []
        for value in self.domains[dimension]:
            key = (*at[:dimension], value, *at[dimension + 1:])
            result.append((value, self.cells[key]))
        return result


def _sort_key(value):
    return (value is None, str(type(value)), value if value is not None else 0)


def suppress_breakdown(counts: Mapping[Hashable, int], *, min_size: int,
                       total_fixed: bool = True) -> tuple[dict[Hashable, Cell], Cell]:
    """A one-dimensional breakdown with its total: (cells per key, total cell).

    The total is the sum of all counts (put groups with no value, e.g. "not stated", in as a
    key of their own so the total is complete)."""
    cube = Cube(1, {(key,): count for key, count in counts.items()}, min_size=min_size)
    if total_fixed:
        cube.fix((ALL,))
    cube.suppress()
    return {key: cube.cells[(key,)] for key in counts}, cube.total


def suppress_table(counts: Mapping[tuple[Hashable, Hashable], int], *, min_size: int,
                   ) -> Cube:
    """A two-dimensional table (rows × columns) with both margins and the grand total."""
    cube = Cube(2, counts, min_size=min_size)
    cube.fix((ALL, ALL))
    return cube.suppress()


def mean_or_none(value_sum: float | int | None, count: int | None, cell: Cell | None):
    """A mean for a shown group; None for a hidden group or no answers."""
    if cell is None or cell.hidden or not count:
        return None
    return value_sum / count
