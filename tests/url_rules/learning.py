"""Access to the welfare technology and workplace learning pages (issue 6).

Everyone signed in reads the catalogue; the programme office edits it. Introductions are for
the registry roles: the programme office sees all, the Ale coordinator Ale's, the Nödinge
manager and the Vikadamm ambassador those touching their units (Tjörn's are hidden from them).
The programme office, coordinators and unit managers register introductions; a unit task is
marked done by those who manage the introduction and the ambassador of the unit. Everyone
signed in reads and rates the resource library; ambassadors, coordinators and the programme
office add to it.
"""

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, everyone, expect


def _introduction(region, where):
    from modig.learning import services
    from modig.learning.models import Technology, TechnologyIntroduction

    unit = getattr(region, where)
    existing = TechnologyIntroduction.objects.filter(unit=unit).first()
    if existing:
        return existing
    import datetime

    return services.introduce(Technology.objects.order_by("pk").first(),
                              municipality=unit.municipality, unit=unit,
                              go_live_on=datetime.date(2026, 9, 1))


def introduction(where):
    return lambda region: {"pk": _introduction(region, where).pk}


def task(where):
    return lambda region: {"pk": _introduction(region, where).tasks.first().pk}


def technology(region):
    from modig.learning.models import Technology

    return {"code": Technology.objects.order_by("pk").first().code}


def resource(region):
    from modig.learning import services

    return {"pk": services.add_resource(title="Så larmar du", kind="guide",
                                        body="Tryck på knappen.").pk}


def plan_step(region):
    from modig.learning import cycle

    return {"pk": cycle.start_plan(region.vikadamm, 2026).steps.first().pk}


ADMIN = expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)

RULES = {
    "learning:technology-list": [Case(everyone(OK, anonymous=LOGIN))],
    "learning:technology-detail": [Case(everyone(OK, anonymous=LOGIN), kwargs=technology)],
    "learning:technology-create": [Case(ADMIN)],
    "learning:technology-edit": [Case(ADMIN, kwargs=technology)],
    "learning:introduction-list": [Case(expect(OK, OK, OK, OK, DENY, DENY, DENY, LOGIN))],
    "learning:introduction-create": [Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN))],
    "learning:introduction-detail": [
        Case(expect(OK, OK, OK, OK, DENY, DENY, DENY, LOGIN), kwargs=introduction("nodinge"),
             label="ale"),
        Case(expect(OK, HIDE, HIDE, HIDE, DENY, DENY, DENY, LOGIN),
             kwargs=introduction("solgarden"), label="tjorn"),
    ],
    "learning:task-done": [
        Case(expect(GO, GO, GO, GO, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=task("nodinge"), label="ale"),
        Case(expect(GO, HIDE, HIDE, HIDE, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=task("solgarden"), label="tjorn"),
    ],
    "learning:resource-list": [Case(everyone(OK, anonymous=LOGIN))],
    "learning:resource-create": [Case(expect(OK, OK, DENY, OK, DENY, DENY, DENY, LOGIN))],
    "learning:resource-detail": [Case(everyone(OK, anonymous=LOGIN), kwargs=resource)],
    "learning:resource-rate": [Case(everyone(GO, anonymous=LOGIN), method="post",
                                    data={"stars": "4"}, kwargs=resource)],
    # The plan of Vikadamm: registry roles read it; its managers and coordinator change it.
    "learning:plan": [
        Case(expect(OK, OK, OK, OK, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {"unit_pk": r.vikadamm.pk, "year": 2026}, label="ale"),
        Case(expect(OK, HIDE, HIDE, HIDE, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {"unit_pk": r.solgarden.pk, "year": 2026}, label="tjorn"),
    ],
    # Marking needs met: nothing ticked is refused (400) for those who may mark them.
    "learning:unit-needs": [
        Case(expect(OK, OK, OK, OK, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {"unit_pk": r.vikadamm.pk}, label="ale"),
        Case(expect(OK, HIDE, HIDE, HIDE, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: {"unit_pk": r.solgarden.pk}, label="tjorn"),
        Case(expect(400, 400, 400, 400, DENY, DENY, DENY, LOGIN), method="post",
             data={"met_on": "2026-01-05"}, kwargs=lambda r: {"unit_pk": r.vikadamm.pk},
             label="post"),
    ],
    "learning:plan-start": [
        Case(expect(GO, GO, GO, DENY, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=lambda r: {"unit_pk": r.vikadamm.pk, "year": 2026}),
    ],
    "learning:step-update": [
        Case(expect(GO, GO, GO, DENY, DENY, DENY, DENY, LOGIN), method="post",
             data={"action": "done"}, kwargs=plan_step),
    ],
}
