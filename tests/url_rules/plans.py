"""Access to the managers' change log and the digital action plans (issue 6).

The programme office and the Ale coordinator see the change log and the figure; the Nödinge
unit manager sees their own list (their account has no person record, so the form tells them
so). Plans: the office edits all, the Ale coordinator Ale's, the unit manager reads Ale's plan
and edits the plans of their units; Tjörn's plans are hidden from Ale's people; every other
role is refused.
"""

import datetime

from url_rules import DENY, HIDE, LOGIN, OK, Case, expect

CHANGE_LOG = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
READ_ALE = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
EDIT_ALE = expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)
EDIT_UNIT = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
TJORN = expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN)


def _plan(municipality, unit=None):
    from modig.plans import services
    from modig.plans.models import Action

    plan = services.create_plan(municipality=municipality, unit=unit, title="Digital plan",
                                starts_on=datetime.date(2025, 1, 1),
                                ends_on=datetime.date(2026, 12, 31))
    goal = services.add_goal(plan, text="Fler arbetar mobilt")
    action = services.save_action(plan, Action(goal=goal, text="Surfplattor", owner_name="Chef",
                                               due_on=datetime.date(2025, 6, 1)))
    return plan, action


def plan(where, unit=None):
    def kwargs(region):
        return {"pk": _plan(getattr(region, where),
                            getattr(region, unit) if unit else None)[0].pk}
    return kwargs


def action(where, unit=None):
    def kwargs(region):
        plan_, action_ = _plan(getattr(region, where), getattr(region, unit) if unit else None)
        return {"pk": plan_.pk, "action_pk": action_.pk}
    return kwargs


def _cases(ale_rule):
    return [
        Case(ale_rule, kwargs=plan("ale"), label="ale"),
        Case(EDIT_UNIT, kwargs=plan("ale", "vikadamm"), label="unit"),
        Case(TJORN, kwargs=plan("tjorn"), label="tjorn"),
    ]


RULES = {
    "plans:change-list": [Case(CHANGE_LOG)],
    "plans:change-create": [Case(CHANGE_LOG)],
    "plans:plan-list": [Case(CHANGE_LOG)],
    "plans:plan-create": [Case(CHANGE_LOG)],
    "plans:plan-detail": _cases(READ_ALE),
    "plans:plan-pdf": _cases(READ_ALE),
    "plans:plan-edit": _cases(EDIT_ALE),
    "plans:goal-create": _cases(EDIT_ALE),
    "plans:action-create": _cases(EDIT_ALE),
    "plans:note-create": _cases(EDIT_ALE),
    "plans:action-edit": [
        Case(EDIT_ALE, kwargs=action("ale"), label="ale"),
        Case(EDIT_UNIT, kwargs=action("ale", "vikadamm"), label="unit"),
        Case(TJORN, kwargs=action("tjorn"), label="tjorn"),
    ],
}
