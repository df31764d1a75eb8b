"""The suppression rules (lib/privacy.py), and an attacker that tries every linear
combination of the published figures to recover a hidden one."""

import itertools
import random

import pytest

from modig.lib import privacy
from modig.lib.privacy import ALL, COMPLEMENT, SMALL, Cube, suppress_breakdown, suppress_table
from modig.lib.tests.attack import attack_cube, derivable, equations_of, leaks


def test_minimum_is_never_below_three():
    assert privacy.effective_min_size(1) == 3
    assert privacy.effective_min_size(2) == 3
    assert privacy.effective_min_size(3) == 3
    assert privacy.effective_min_size(7) == 7
    assert privacy.effective_min_size(None) == 5


def test_floor_applies_even_when_a_caller_asks_for_less():
    cells, _total = suppress_breakdown({"a": 2, "b": 10, "c": 10}, min_size=1)
    assert cells["a"].hidden and cells["a"].reason == SMALL


def test_exactly_the_minimum_is_shown_one_below_is_hidden():
    cells, total = suppress_breakdown({"a": 5, "b": 5, "c": 5}, min_size=5)
    assert all(cell.shown for cell in cells.values()) and total.shown
    cells, _total = suppress_breakdown({"a": 4, "b": 5, "c": 5, "d": 6}, min_size=5)
    assert cells["a"].reason == SMALL


def test_empty_groups_are_shown_as_zero():
    cells, _total = suppress_breakdown({"a": 0, "b": 7, "c": 8}, min_size=5)
    assert all(cell.shown for cell in cells.values())


def test_a_total_below_the_minimum_hides_everything():
    cells, total = suppress_breakdown({"a": 2, "b": 2}, min_size=5)
    assert total.hidden and all(cell.hidden for cell in cells.values())


def test_one_small_cell_hides_its_smallest_sibling_too():
    # Vikadamm 6, Solgården 2 under a total of 8: 8 - 6 would give Solgården.
    cells, total = suppress_breakdown({"vikadamm": 6, "solgarden": 2}, min_size=5)
    assert cells["solgarden"].reason == SMALL
    assert cells["vikadamm"].reason == COMPLEMENT
    assert total.shown and total.count == 8


def test_the_smallest_shown_sibling_is_the_one_hidden():
    cells, _total = suppress_breakdown({"a": 7, "b": 5, "c": 2, "d": 30}, min_size=5)
    assert [k for k, c in cells.items() if c.hidden] == ["b", "c"]


def test_two_small_cells_whose_sum_is_small_are_not_enough():
    # b + c = 3 = total - a - d: a union of 3 people. One more must go.
    cells, _total = suppress_breakdown({"a": 7, "b": 1, "c": 2, "d": 30}, min_size=5)
    hidden = {k for k, c in cells.items() if c.hidden}
    assert hidden == {"a", "b", "c"}


def test_complement_rule_a_group_whose_rest_is_small_is_hidden():
    # Unit A is 10 of 12: 12 - 10 gives the other 2 people as a group.
    cells, total = suppress_breakdown({"a": 10, "b": 1, "c": 1}, min_size=5)
    assert cells["a"].hidden and total.shown


def test_brief_example_unit_c_with_zero_is_fine():
    cells, _total = suppress_breakdown({"a": 7, "b": 5, "c": 0}, min_size=5)
    assert all(cell.shown for cell in cells.values())


def test_brief_example_unit_c_with_two_hides_one_more():
    cells, total = suppress_breakdown({"a": 7, "b": 5, "c": 2}, min_size=5)
    assert cells["c"].hidden and cells["b"].hidden and cells["a"].shown
    assert total.count == 14


def test_table_suppression_works_across_rows_and_columns():
    counts = {("u1", "nurse"): 8, ("u1", "aide"): 2, ("u2", "nurse"): 6, ("u2", "aide"): 9,
              ("u3", "nurse"): 7, ("u3", "aide"): 8}
    cube = suppress_table(counts, min_size=5)
    assert cube.cells[("u1", "aide")].reason == SMALL
    # Row u1 and column aide each need a second hidden cell.
    assert sum(cube.cells[("u1", o)].hidden for o in ("nurse", "aide")) >= 2 or \
        cube.cells[("u1", ALL)].hidden
    assert sum(cube.cells[(u, "aide")].hidden for u in ("u1", "u2", "u3")) >= 2
    assert attack_cube(cube) == []


def test_fixed_cells_stay_shown():
    cube = Cube(1, {("a",): 6, ("b",): 2, ("c",): 9}, min_size=5)
    cube.fix(("a",))
    cube.fix((ALL,))
    cube.suppress()
    assert cube.cells[("a",)].shown and cube.cells[("c",)].hidden


def test_hide_below_hides_a_whole_slab():
    cube = Cube(2, {("a", "x"): 6, ("b", "x"): 6, ("a", "y"): 6, ("b", "y"): 6}, min_size=5)
    cube.hide(("a", "x"))
    cube.suppress()
    assert attack_cube(cube) == []
    assert cube.cells[("a", "x")].hidden


# Attacks -------------------------------------------------------------------------------------

def test_attacker_finds_a_naive_single_suppression():
    """The attacker is real: it recovers a cell when only the small one is hidden."""
    lines = [("total", ["a", "b", "c"])]
    shown = {"total": 14, "a": 7, "b": 5}
    assert leaks(lines, shown, {"c": 2}, 5) == ["c"]
    assert derivable({"c": 1}, equations_of(lines, shown))


def test_differencing_by_unit_fails():
    """Municipality 14 = A 7 + B 5 + C 2: C can not be had as total - A - B."""
    cells, total = suppress_breakdown({"A": 7, "B": 5, "C": 2}, min_size=5)
    shown = {k: c.count for k, c in cells.items() if c.shown}
    shown["total"] = total.count
    hidden = {k: c.count for k, c in cells.items() if c.hidden}
    assert hidden and leaks([("total", ["A", "B", "C"])], shown, hidden, 5) == []


def test_differencing_by_occupation_and_by_total_fails_in_a_unit_by_occupation_table():
    """Units × occupations with every margin: subtract along rows, columns or the grand
    total, and no hidden cell comes out."""
    counts = {("A", "nurse"): 6, ("A", "aide"): 7, ("A", "other"): 1,
              ("B", "nurse"): 2, ("B", "aide"): 9, ("B", "other"): 5,
              ("C", "nurse"): 8, ("C", "aide"): 3, ("C", "other"): 6}
    cube = suppress_table(counts, min_size=5)
    assert cube.cells[("A", "other")].hidden and cube.cells[("B", "nurse")].hidden
    assert attack_cube(cube) == []


def test_three_dimensions_unit_occupation_target_group():
    rng = random.Random(4)
    counts = {}
    for key in itertools.product(["A", "B", "C", "D"], ["n", "a", None], ["base", "amb"]):
        counts[key] = rng.choice([0, 1, 2, 3, 4, 6, 9, 15])
    cube = Cube(3, counts, min_size=5)
    cube.fix((ALL, ALL, ALL))
    cube.suppress()
    assert attack_cube(cube) == []


@pytest.mark.parametrize("seed", range(25))
def test_random_tables_cannot_be_attacked(seed):
    rng = random.Random(seed)
    rows = [f"u{i}" for i in range(rng.randint(2, 6))]
    columns = [f"o{i}" for i in range(rng.randint(2, 4))]
    counts = {(r, c): rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for r in rows for c in columns}
    min_size = rng.choice([3, 5, 7])
    cube = suppress_table(counts, min_size=min_size)
    assert attack_cube(cube) == []
    for key, cell in cube.cells.items():
        if 0 < cell.count < min_size:
            assert cell.hidden, key
