"""What each role gets from each URL: the vocabulary of tests/test_url_access.py.

Each module in this package holds one app's RULES (URL name -> list of Case).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OK, GO, REDIRECT, LOGIN, DENY, HIDE = "ok", "go", "redirect", "login", 403, 404
ROLES = ("programme_admin", "coordinator", "unit_manager", "ambassador", "trainer",
         "staff_member", "outsider", "anonymous")


def expect(admin, coordinator, unit_manager, ambassador, trainer, staff, outsider, anonymous):
    return dict(zip(ROLES, (admin, coordinator, unit_manager, ambassador, trainer, staff,
                            outsider, anonymous), strict=True))


def everyone(outcome, anonymous=None):
    return expect(*([outcome] * 7), anonymous if anonymous is not None else outcome)


@dataclass
class Case:
    expected: dict
    kwargs: Callable = lambda region: {}
    method: str = "get"
    data: dict = field(default_factory=dict)
    label: str = ""
