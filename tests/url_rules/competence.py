"""Access to the competence framework pages: the programme office edits, coordinators and unit
managers read, everyone else gets 403 (anonymous visitors go to the log-in page)."""

from url_rules import DENY, GO, LOGIN, OK, Case, expect

READ = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
EDIT = expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)
WRITE = expect(GO, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)


def digcomp(region):
    return {"code": "digcomp-2-2"}


def spare_framework():
    """A framework no questionnaire uses, with one area and one competence."""
    from modig.competence.models import Competence, Framework

    framework, _ = Framework.objects.get_or_create(code="prov", defaults={"title_sv": "Prov"})
    area, _ = framework.areas.get_or_create(code="A", defaults={"title_sv": "Område A"})
    competence, _ = Competence.objects.get_or_create(
        framework=framework, code="A1", defaults={"area": area, "title_sv": "Kompetens A1"})
    return framework, area, competence


def digcomp_area(region):
    from modig.competence.models import CompetenceArea

    return {"code": "digcomp-2-2",
            "pk": CompetenceArea.objects.get(framework__code="digcomp-2-2", code="1").pk}


def digcomp_competence(region):
    from modig.competence.models import Competence

    return {"code": "digcomp-2-2",
            "pk": Competence.objects.get(framework__code="digcomp-2-2", code="1.1").pk}


def spare(part):
    def kwargs(region):
        framework, area, competence = spare_framework()
        return {"code": framework.code,
                **({"pk": {"area": area, "competence": competence}[part].pk} if part else {})}
    return kwargs


RULES = {
    "competence:framework-list": [Case(READ)],
    "competence:framework-detail": [Case(READ, kwargs=digcomp)],
    "competence:framework-export": [Case(READ, kwargs=digcomp)],
    "competence:framework-create": [Case(EDIT)],
    "competence:framework-import": [Case(EDIT)],
    "competence:framework-edit": [Case(EDIT, kwargs=digcomp)],
    # In use by the default questionnaires: refused, back to the framework page.
    "competence:framework-delete": [
        Case(WRITE, method="post", kwargs=digcomp, label="in-use"),
        Case(WRITE, method="post", kwargs=spare(None), label="unused"),
    ],
    "competence:area-create": [Case(EDIT, kwargs=digcomp)],
    "competence:area-edit": [Case(EDIT, kwargs=digcomp_area)],
    "competence:area-delete": [Case(WRITE, method="post", kwargs=digcomp_area)],
    "competence:competence-create": [Case(EDIT, kwargs=digcomp)],
    "competence:competence-edit": [Case(EDIT, kwargs=digcomp_competence)],
    "competence:competence-delete": [
        Case(WRITE, method="post", kwargs=digcomp_competence, label="in-use"),
        Case(WRITE, method="post", kwargs=spare("competence"), label="unused"),
    ],
}
