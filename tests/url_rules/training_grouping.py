"""Group formation pages (training/grouping_urls.py): the programme office and coordinators
(their municipality's proposals; another municipality's are hidden); everyone else 403."""

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, expect

OWN = expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)
OTHER = expect(OK, HIDE, DENY, DENY, DENY, DENY, DENY, LOGIN)
OWN_POST = expect(GO, GO, DENY, DENY, DENY, DENY, DENY, LOGIN)
OTHER_POST = expect(GO, HIDE, DENY, DENY, DENY, DENY, DENY, LOGIN)


def _proposal(region, municipality):
    from modig.surveys.tests.factories import make_round
    from modig.training import grouping
    from modig.training.tests.factories import make_course

    return grouping.propose_groups(
        make_course(region.programme), survey_round=make_round(region.programme),
        municipality=getattr(region, municipality), by=None)


def proposal(municipality):
    return lambda region: {"pk": _proposal(region, municipality).pk}


def member(municipality):
    def kwargs(region):
        made = _proposal(region, municipality)
        return {"pk": made.pk, "member_pk": made.members.first().pk}
    return kwargs


def group(municipality):
    def kwargs(region):
        made = _proposal(region, municipality)
        return {"pk": made.pk, "group_pk": made.groups.first().pk}
    return kwargs


def _cases(kwargs, own, other, method="get"):
    return [Case(own, kwargs=kwargs("ale"), method=method, label=f"own-{method}"),
            Case(other, kwargs=kwargs("tjorn"), method=method, label=f"other-{method}")]


RULES = {
    "training:grouping-list": [Case(OWN)],
    "training:grouping-create": [Case(OWN)],
    "training:grouping-detail": _cases(proposal, OWN, OTHER),
    "training:grouping-member": _cases(member, OWN, OTHER),
    "training:grouping-group": _cases(group, OWN, OTHER),
    "training:grouping-place": _cases(proposal, OWN_POST, OTHER_POST, "post"),
    "training:grouping-confirm": _cases(proposal, OWN_POST, OTHER_POST, "post"),
    "training:grouping-delete": _cases(proposal, OWN_POST, OTHER_POST, "post"),
}
