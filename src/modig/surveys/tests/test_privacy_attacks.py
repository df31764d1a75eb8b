"""Attacks on the results of a round: collect EVERY figure the results pages and exports
publish for a round (every place, every occupation and target group filter, every
breakdown), then try every linear combination of them (modig.lib.tests.attack) to recover a
hidden group: differencing by unit, by occupation, by target group and by total, across
levels of the organisation tree."""

import csv
import io
import itertools

import pytest
from django.db.models import Count
from django.urls import reverse

from modig.lib.privacy import ALL
from modig.lib.tests.attack import leaks
from modig.organisation.models import Occupation, TargetGroup
from modig.organisation.tests.factories import make_unit
from modig.surveys import results
from modig.surveys.access import MUNICIPALITY, PROGRAMME, UNIT, Place
from modig.surveys.models import Response
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import submit_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def attacked(region):
    """Nödinge has units A (7), B (5) and C (2) besides Vikadamm (6), and one answer placed
    at Nödinge itself; Tjörn has 9. Two occupations, two target groups, some not stated."""
    round_ = make_round(region.programme, make_questionnaire(items_per_area=1),
                        min_group_size=5)
    nurse, aide = Occupation.objects.order_by("ssyk_code")[:2]
    base, amb = TargetGroup.objects.order_by("code")[:2]
    units = {name: make_unit(region.ale, name, parent=region.nodinge) for name in "ABC"}
    plan = [
        (units["A"], nurse, base, 4), (units["A"], aide, base, 2), (units["A"], aide, amb, 1),
        (units["B"], nurse, base, 3), (units["B"], aide, amb, 2),
        (units["C"], nurse, base, 1), (units["C"], aide, base, 1),
        (region.vikadamm, aide, base, 6),
        (region.nodinge, None, None, 1),
        (region.solgarden, nurse, base, 4), (region.solgarden, aide, amb, 5),
    ]
    for unit, occupation, target_group, count in plan:
        submit_many(round_, count, municipality=unit.municipality, unit=unit,
                    occupation=occupation, target_group=target_group, value=3)
    round_.units_by_name = units
    return round_


def _nodes(region, round_):
    """Every place of the tree, with its children (as places) and its parent."""
    units = round_.units_by_name
    tree = {
        ("programme",): [("k", region.ale.pk), ("k", region.tjorn.pk)],
        ("k", region.ale.pk): [("e", region.ale_elderly.pk)],
        ("k", region.tjorn.pk): [("e", region.solgarden.pk)],
        ("e", region.ale_elderly.pk): [("e", region.nodinge.pk)],
        ("e", region.nodinge.pk): [("e", u.pk) for u in
                                   sorted([region.vikadamm, *units.values()],
                                          key=lambda u: u.name)],
    }
    for unit in [region.vikadamm, region.solgarden, *units.values()]:
        tree[("e", unit.pk)] = []
    return tree


def _place(node, region):
    from modig.organisation.models import Municipality, Unit
    if node[0] == "programme":
        return Place(PROGRAMME)
    if node[0] == "k":
        return Place(MUNICIPALITY, Municipality.objects.get(pk=node[1]))
    return Place(UNIT, Unit.objects.get(pk=node[1]))


def _truth(region, round_, tree, occupations, target_groups):
    """The real count of every variable (node or rest-of-node × occupation × target group),
    counted from the responses themselves."""
    from modig.organisation.models import Unit

    def matches(response, node):
        if node[0] == "programme":
            return True
        if node[0] == "k":
            return response["municipality_id"] == node[1]
        if node[0] == "rest":
            parent = node[1]
            return matches(response, parent) and not any(
                matches(response, child) for child in tree[parent])
        return paths[response["unit_id"]].startswith(paths[node[1]])

    paths = dict(Unit.objects.values_list("pk", "path"))
    rows = list(Response.objects.filter(round=round_).values(
        "municipality_id", "unit_id", "occupation_id", "target_group_id").annotate(n=Count("pk")))
    variables = {}
    nodes = [*tree, *[("rest", n) for n in tree if tree[n]]]
    for node in nodes:
        for o in [*occupations, ALL]:
            for t in [*target_groups, ALL]:
                variables[(node, o, t)] = sum(
                    r["n"] for r in rows if matches(r, node)
                    and (o is ALL or r["occupation_id"] == o)
                    and (t is ALL or r["target_group_id"] == t))
    return variables


def _lines(tree, occupations, target_groups):
    lines = []
    nodes = [*tree, *[("rest", n) for n in tree if tree[n]]]
    for o in [*occupations, ALL]:
        for t in [*target_groups, ALL]:
            for node, children in tree.items():
                if children:
                    lines.append(((node, o, t),
                                  [(c, o, t) for c in children] + [(("rest", node), o, t)]))
    for node in nodes:
        for t in [*target_groups, ALL]:
            lines.append(((node, ALL, t), [(node, o, t) for o in occupations]))
        for o in [*occupations, ALL]:
            lines.append(((node, o, ALL), [(node, o, t) for t in target_groups]))
    return lines


def _publish(region, round_, tree, occupations, target_groups):
    """Every figure the pages and exports publish: {variable: count}."""
    shown = {}
    for node in tree:
        place = _place(node, region)
        for per, o, t in itertools.chain(
                ((results.PER_PLACE, o, t) for o in [*occupations, ALL]
                 for t in [*target_groups, ALL]),
                ((results.PER_OCCUPATION, ALL, t) for t in [*target_groups, ALL]),
                ((results.PER_TARGET_GROUP, o, ALL) for o in [*occupations, ALL])):
            data = results.round_results(round_, place, occupation=o, target_group=t, per=per)
            if data.group.shown:
                shown[(node, o, t)] = data.group.count
            per = data.per  # a unit with no units below compares occupations instead
            for row in data.breakdown:
                if row.cell.hidden:
                    continue
                if per == results.PER_PLACE:
                    child = ("k" if node[0] == "programme" else "e", row.key) \
                        if row.key is not None else ("rest", node)
                    shown[(child, o, t)] = row.cell.count
                elif per == results.PER_OCCUPATION:
                    shown[(node, row.key, t)] = row.cell.count
                else:
                    shown[(node, o, row.key)] = row.cell.count
    return shown


def test_no_hidden_group_can_be_computed_from_everything_published(region, attacked):
    occupations = sorted({o for o in Response.objects.filter(round=attacked)
                          .values_list("occupation_id", flat=True)}, key=lambda v: (v is None, v))
    target_groups = sorted({t for t in Response.objects.filter(round=attacked)
                            .values_list("target_group_id", flat=True)},
                           key=lambda v: (v is None, v))
    tree = _nodes(region, attacked)
    truth = _truth(region, attacked, tree, occupations, target_groups)
    shown = _publish(region, attacked, tree, occupations, target_groups)
    # Everything published is true, and nothing small is published.
    for variable, count in shown.items():
        assert truth[variable] == count, variable
        assert count == 0 or count >= 5, variable
    hidden = {v: n for v, n in truth.items() if v not in shown}
    c_node = ("e", attacked.units_by_name["C"].pk)
    assert (c_node, ALL, ALL) in hidden  # unit C (2 people) is hidden …
    assert leaks(_lines(tree, occupations, target_groups), shown, hidden, 5) == []  # … for good


def test_the_attacker_would_win_without_complementary_suppression(region, attacked,
                                                                  monkeypatch):
    """The same attack against naive suppression (only small cells hidden) recovers C."""
    from modig.lib import privacy

    monkeypatch.setattr(privacy, "_protect_line", lambda *args: False)
    occupations = sorted({o for o in Response.objects.filter(round=attacked)
                          .values_list("occupation_id", flat=True)}, key=lambda v: (v is None, v))
    target_groups = sorted({t for t in Response.objects.filter(round=attacked)
                            .values_list("target_group_id", flat=True)},
                           key=lambda v: (v is None, v))
    tree = _nodes(region, attacked)
    truth = _truth(region, attacked, tree, occupations, target_groups)
    shown = _publish(region, attacked, tree, occupations, target_groups)
    hidden = {v: n for v, n in truth.items() if v not in shown}
    found = leaks(_lines(tree, occupations, target_groups), shown, hidden, 5)
    c_node = ("e", attacked.units_by_name["C"].pk)
    # C (2) comes out, alone or together with the one answer placed at Nödinge itself.
    def nodes(leak):
        pair = isinstance(leak[0][0], tuple)
        return [variable[0] for variable in leak] if pair else [leak[0]]
    assert any(c_node in nodes(leak) for leak in found)


def test_exports_publish_exactly_the_shown_figures(login, programme_admin, region, attacked):
    """The CSV carries the breakdown's shown counts and the word "dold" for every hidden one,
    never a hidden number (differencing by unit in Nödinge: A 7, B 5, C 2, Vikadamm 6)."""
    url = reverse("surveys:round-results-export", kwargs={"pk": attacked.pk, "fmt": "csv"})
    response = login(programme_admin).get(url, {"plats": f"e{region.nodinge.pk}"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    start = rows.index(["Jämförelse"])
    table = {row[0]: row[1] for row in rows[start + 2:] if row and len(row) > 1}
    assert table["C"] == "dold" and table["B"] == "dold"  # C small, B the smallest sibling
    data = results.round_results(attacked, Place(UNIT, region.nodinge))
    for row in data.breakdown:
        expected = str(row.cell.count) if row.cell.shown else "dold"
        assert table.get(row.label or "Ej angivet") == expected, row.label
    hidden = [row.cell.count for row in data.breakdown if row.cell.hidden]
    assert len(hidden) >= 2 and sum(hidden) >= 5
