"""Results pages of survey rounds (surveys/results_urls.py): the programme office,
coordinators and unit managers; a round outside one's scope is hidden."""

from url_rules import DENY, HIDE, LOGIN, OK, Case, expect


def _round(region, *, municipalities=()):
    from modig.surveys.tests.factories import make_round

    round_ = make_round(region.programme)
    if municipalities:
        round_.municipalities.set([getattr(region, m) for m in municipalities])
    return round_


def own(region):
    return {"pk": _round(region).pk}


def other(region):
    return {"pk": _round(region, municipalities=["tjorn"]).pk}


def _cases(extra=None):
    extra = extra or {}
    return [
        Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {**own(r), **extra}, label="own"),
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {**other(r), **extra}, label="other"),
        Case(expect(HIDE, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {"pk": 999999, **extra}, label="unknown"),
    ]


RULES = {
    "surveys:round-results": _cases(),
    "surveys:round-results-export": _cases({"fmt": "csv"}),
    "surveys:round-lowest-scores": _cases(),
}
