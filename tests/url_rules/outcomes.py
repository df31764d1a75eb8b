"""Access to the outcome dashboards, the definitions page and the records behind a figure
(issue 7). The programme dashboard is the office's; Ale's is its coordinator's and the
office's; a unit's is also its unit manager's. The records name people: office and the
municipality's coordinator only."""

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, everyone, expect


def _code(name):
    return lambda region: {"code": getattr(region, name).code}


def _unit(name):
    return lambda region: {"pk": getattr(region, name).pk}


RULES = {
    "outcomes:index": [Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN))],
    "outcomes:programme": [Case(expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)),
                           Case(expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN),
                                data={"kommun": "1440", "malgrupp": "base_staff",
                                      "fran": "2026-01-01", "till": "2026-12-31"},
                                label="filtered")],
    "outcomes:municipality": [
        Case(expect(OK, OK, DENY, DENY, HIDE, HIDE, HIDE, LOGIN), kwargs=_code("ale")),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), kwargs=_code("tjorn"),
             label="Tjörn"),
    ],
    "outcomes:unit": [
        Case(expect(OK, OK, OK, HIDE, HIDE, HIDE, HIDE, LOGIN), kwargs=_unit("nodinge")),
        Case(expect(OK, OK, OK, DENY, HIDE, HIDE, HIDE, LOGIN), kwargs=_unit("vikadamm"),
             label="Vikadamm"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), kwargs=_unit("solgarden"),
             label="Solgården"),
    ],
    "outcomes:definitions": [Case(everyone(OK, anonymous=LOGIN))],
    "outcomes:records": [
        Case(expect(OK, GO, DENY, DENY, DENY, DENY, DENY, LOGIN)),
        Case(expect(OK, OK, DENY, DENY, HIDE, HIDE, HIDE, LOGIN), data={"kommun": "1440"},
             label="Ale"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), data={"kommun": "1419"},
             label="Tjörn"),
    ],
}
