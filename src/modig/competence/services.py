"""Changing competence frameworks: the framework itself, its areas and its competences.

Codes are what items, results and the CSV files refer to, so each one is unique within its
framework and checked here with a message that says what to do. Nothing that items point at
can be removed: a competence measured by a questionnaire stays, and a framework in use by a
questionnaire stays (the database protects both as well; the messages say why).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from modig.competence.models import Competence, CompetenceArea, Framework

# Path words under /kompetens/ramverk/ that cannot be framework codes.
RESERVED_CODES = {"nytt", "importera"}


def _text(value, *, required_message: str | None = None, max_length: int) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError(required_message, code="required")
    if len(value) > max_length:
        raise ValidationError(
            _("Write at most %(max)s characters.") % {"max": max_length}, code="max_length"
        )
    return value


def clean_framework_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Write a code for the framework.")})
    if slugify(code) != code or len(code) > 50:
        raise ValidationError({"code": _(
            "The code may only have small letters a–z, digits and hyphens, at most 50 "
            "characters. For example: digcomp-2-2."
        )})
    if code in RESERVED_CODES:
        raise ValidationError({"code": _("That code is taken by the site. Choose another.")})
    return code


def clean_item_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({field: _("Write a code, for example 1 or 1.2.")})
    if len(code) > 10:
        raise ValidationError({field: _("The code can be at most 10 characters long.")})
    return code


@transaction.atomic
def save_framework(framework: Framework | None, *, code: str, title_sv: str, title_en: str = "",
                   version: str = "", source: str = "", is_default: bool = False) -> Framework:
    """Create a framework, or change one. Making it the default takes that from the other."""
    code = clean_framework_code(code)
    taken = Framework.objects.filter(code=code)
    if framework is not None:
        taken = taken.exclude(pk=framework.pk)
    if taken.exists():
        raise ValidationError({"code": _("Another framework already has the code %(code)s.")
                               % {"code": code}})
    if framework is not None and framework.is_default and not is_default:
        raise ValidationError({"is_default": _(
            "There must always be a default framework. Make another framework the default "
            "instead."
        )})
    framework = framework or Framework()
    framework.code = code
    framework.title_sv = _text(title_sv, required_message=_("Write a Swedish title."),
                               max_length=200)
    framework.title_en = _text(title_en, max_length=200)
    framework.version = _text(version, max_length=20)
    framework.source = _text(source, max_length=400)
    if is_default and not framework.is_default:
        Framework.objects.filter(is_default=True).update(is_default=False)
    framework.is_default = is_default or not Framework.objects.exclude(pk=framework.pk).filter(
        is_default=True).exists()
    framework.save()
    return framework


def can_delete_framework(framework: Framework) -> str:
    """Why the framework cannot be deleted, or "" when it can."""
    if framework.questionnaires.exists():
        return _("Questionnaires use this framework, so it cannot be deleted.")
    if framework.is_default:
        return _("This is the default framework. Make another framework the default first.")
    return ""


@transaction.atomic
def delete_framework(framework: Framework) -> None:
    reason = can_delete_framework(framework)
    if reason:
        raise ValidationError(reason, code="in_use")
    framework.delete()


@transaction.atomic
def save_area(framework: Framework, area: CompetenceArea | None, *, code: str, title_sv: str,
              title_en: str = "") -> CompetenceArea:
    """Create or change a competence area (its code is unique within the framework)."""
    code = clean_item_code(code)
    taken = framework.areas.filter(code=code)
    if area is not None:
        taken = taken.exclude(pk=area.pk)
    if taken.exists():
        raise ValidationError({"code": _("The framework already has an area with the code "
                                         "%(code)s.") % {"code": code}})
    if area is None:
        last = framework.areas.aggregate(last=Max("position"))["last"] or 0
        area = CompetenceArea(framework=framework, position=last + 1)
    area.code = code
    area.title_sv = _text(title_sv, required_message=_("Write a Swedish title."), max_length=200)
    area.title_en = _text(title_en, max_length=200)
    area.save()
    return area


@transaction.atomic
def save_competence(framework: Framework, competence: Competence | None, *,
                    area: CompetenceArea, code: str, title_sv: str,
                    title_en: str = "") -> Competence:
    """Create or change a competence (code unique within the framework, area of the same)."""
    code = clean_item_code(code)
    if area is None or area.framework_id != framework.pk:
        raise ValidationError({"area": _("Choose an area of this framework.")})
    taken = framework.competences.filter(code=code)
    if competence is not None:
        taken = taken.exclude(pk=competence.pk)
    if taken.exists():
        raise ValidationError({"code": _("The framework already has a competence with the "
                                         "code %(code)s.") % {"code": code}})
    if competence is None:
        last = framework.competences.aggregate(last=Max("position"))["last"] or 0
        competence = Competence(framework=framework, position=last + 1)
    competence.area = area
    competence.code = code
    competence.title_sv = _text(title_sv, required_message=_("Write a Swedish title."),
                                max_length=300)
    competence.title_en = _text(title_en, max_length=300)
    competence.save()
    return competence


def can_delete_competence(competence: Competence) -> str:
    if competence.items.exists():
        return _("Questionnaire items measure this competence, so it cannot be deleted.")
    return ""


@transaction.atomic
def delete_competence(competence: Competence) -> None:
    reason = can_delete_competence(competence)
    if reason:
        raise ValidationError(reason, code="in_use")
    competence.delete()


def can_delete_area(area: CompetenceArea) -> str:
    if area.competences.exists():
        return _("The area has competences. Delete or move them first.")
    return ""


@transaction.atomic
def delete_area(area: CompetenceArea) -> None:
    reason = can_delete_area(area)
    if reason:
        raise ValidationError(reason, code="in_use")
    area.delete()
