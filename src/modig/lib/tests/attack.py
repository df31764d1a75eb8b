"""An attacker for the privacy tests: given the equations a published table satisfies and
the figures it shows, which hidden figures (or small sums of them) follow exactly?

Every line of a table is an equation: total = sum of members. Shown cells are known numbers,
hidden cells are unknowns. A hidden cell (or a sum of hidden cells) can be computed by adding
and subtracting published figures exactly when its coefficient vector lies in the row space
of the equations over the unknowns. This tries every linear combination at once (Gaussian
elimination over the rationals) rather than a few hand-picked subtractions.
"""

from fractions import Fraction
from itertools import combinations


def _reduce(rows: list[dict]) -> list[tuple[object, dict]]:
    """Reduced row-echelon basis of sparse rows {var: coefficient}: [(pivot, row)]."""
    basis: list[tuple[object, dict]] = []
    for row in rows:
        row = {k: Fraction(v) for k, v in row.items() if v}
        for pivot, base in basis:
            if pivot in row:
                factor = row[pivot] / base[pivot]
                for k, v in base.items():
                    row[k] = row.get(k, 0) - factor * v
                row = {k: v for k, v in row.items() if v}
        if row:
            pivot = next(iter(row))
            # keep earlier basis rows free of the new pivot
            new_basis = []
            for p, base in basis:
                if pivot in base:
                    factor = base[pivot] / row[pivot]
                    base = {k: base.get(k, 0) - factor * row.get(k, 0)
                            for k in set(base) | set(row)}
                    base = {k: v for k, v in base.items() if v}
                new_basis.append((p, base))
            basis = [*new_basis, (pivot, row)]
    return basis


def _residual(target: dict, basis: list[tuple[object, dict]]) -> dict:
    row = {k: Fraction(v) for k, v in target.items() if v}
    for pivot, base in basis:
        if pivot in row:
            factor = row[pivot] / base[pivot]
            for k, v in base.items():
                row[k] = row.get(k, 0) - factor * v
            row = {k: v for k, v in row.items() if v}
    return row


def _basis(equations: list[dict]) -> list[tuple[object, dict]]:
    return _reduce(equations)


def derivable(target: dict, equations: list[dict], basis=None) -> bool:
    """Whether sum(target[v] * v) follows from the equations (each {var: coeff}, = const)."""
    return not _residual(target, basis if basis is not None else _basis(equations))


def equations_of(lines, shown: dict) -> list[dict]:
    """Equations over the hidden cells: for each line (total_key, [member_keys]) the hidden
    part of `total - sum(members) = 0` (shown values are constants and drop out)."""
    result = []
    for total, members in lines:
        row = {}
        if total not in shown:
            row[total] = 1
        for member in members:
            if member not in shown:
                row[member] = row.get(member, 0) - 1
        if row:
            result.append(row)
    return result


def leaks(lines, shown: dict, hidden_counts: dict, min_size: int) -> list:
    """Hidden cells, and unions of two hidden cells in a line, that are below min_size and
    can be computed from the shown figures. An empty list means the attack failed."""
    equations = equations_of(lines, shown)
    basis = _basis(equations)
    found = []
    for key, count in hidden_counts.items():
        if count > 0 and derivable({key: 1}, equations, basis):
            found.append(key)
    for _total, members in lines:
        hidden_members = [m for m in members if m in hidden_counts and hidden_counts[m] > 0]
        for a, b in combinations(hidden_members, 2):
            if hidden_counts[a] + hidden_counts[b] < min_size and derivable(
                    {a: 1, b: 1}, equations, basis):
                found.append((a, b))
    return found


def cube_lines(cube):
    """Every line of a privacy.Cube as (total key, member keys)."""
    from modig.lib.privacy import ALL
    lines = []
    for d in range(cube.dimensions):
        for key in cube.cells:
            if key[d] != ALL:
                continue
            members = [(*key[:d], v, *key[d + 1:]) for v in cube.domains[d]]
            lines.append((key, members))
    return lines


def attack_cube(cube) -> list:
    shown = {k: c.count for k, c in cube.cells.items() if c.shown}
    hidden = {k: c.count for k, c in cube.cells.items() if c.hidden}
    return leaks(cube_lines(cube), shown, hidden, cube.min_size)
