"""Access to the managers' change log and the action plans (issue 6).

The programme office and the Ale coordinator see the change log and the figure; the Nödinge
unit manager sees their own list (their account has no person record, so the form tells them
so); everyone else is refused.
"""

from url_rules import DENY, LOGIN, OK, Case, expect

CHANGE_LOG = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)

RULES = {
    "plans:change-list": [Case(CHANGE_LOG)],
    "plans:change-create": [Case(CHANGE_LOG)],
}
