"""Competence frameworks: areas, competences and proficiency levels (DigComp 2.2 by default).

A framework is what self-assessment items, courses and outcome figures point at, so the
competence a rating measures stays the same when a questionnaire is reworded.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual:
    """`title` in the active language: Swedish unless the interface is in English."""

    @property
    def title(self) -> str:
        if (get_language() or "sv").startswith("en") and self.title_en:
            return self.title_en
        return self.title_sv


class FrameworkQuerySet(models.QuerySet):
    def default(self) -> "Framework | None":
        return self.filter(is_default=True).first()


class Framework(Bilingual, models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    title_sv = models.CharField(_("Swedish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    is_default = models.BooleanField(_("default framework"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["title_sv"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_framework"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CompetenceArea(Bilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=10)  # "1" … "5" in DigComp
    title_sv = models.CharField(_("Swedish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_in_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Competence(Bilingual, models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competences"
    )
    area = models.ForeignKey(
        CompetenceArea, on_delete=models.CASCADE, related_name="competences",
        verbose_name=_("competence area"),
    )
    code = models.CharField(_("code"), max_length=10)  # "1.1" … "5.4" in DigComp
    title_sv = models.CharField(_("Swedish title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["framework", "area__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="competence_code_in_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProficiencyLevel(Bilingual, models.Model):
    """DigComp's eight levels, grouped as foundation, intermediate, advanced, highly specialised."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    group_code = models.SlugField(_("level group"), max_length=40)
    title_sv = models.CharField(_("Swedish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="level_in_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.title}"
