"""ESF reporting: participants' background fields and the stored monthly participant reports.

The reports themselves are always recomputed from the hours ledger (training.ledger); what is
stored is each generated version of a month's file, so that what was sent to SCB can be shown
and downloaded again after a correction has produced a newer version (docs/esf-reports.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    # SCB's three ESF levels (ISCED 2011 groups).
    PRIMARY = "primary", _("Compulsory school or less (ISCED 0-2)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school (ISCED 3-4)")
    TERTIARY = "tertiary", _("Post-secondary education (ISCED 5-8)")
    UNKNOWN = "unknown", _("Not stated")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed")
    INACTIVE = "inactive", _("Outside the labour force")
    UNKNOWN = "unknown", _("Not stated")


class EsfBackground(models.Model):
    """The ESF background fields that the organisation registry does not hold."""

    person = models.OneToOneField("organisation.Person", on_delete=models.CASCADE,
                                  related_name="esf_background")
    education_level = models.CharField(_("education level"), max_length=20,
                                       choices=EducationLevel.choices,
                                       default=EducationLevel.UNKNOWN)
    employment_status = models.CharField(_("employment status at start"), max_length=30,
                                         choices=EmploymentStatus.choices,
                                         default=EmploymentStatus.EMPLOYED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ESF background")
        verbose_name_plural = _("ESF backgrounds")

    def __str__(self) -> str:
        return str(self.person)


class ParticipantReportMonth(models.Model):
    """One generated version of one month's participant report.

    `rows` is the file's content as generated (a list of lists, the columns of
    reports.participants.COLUMNS); `content_hash` is its SHA-256, so that a regeneration
    whose content is the same adds no version.
    """

    programme = models.ForeignKey("organisation.Programme", on_delete=models.CASCADE,
                                  related_name="participant_reports")
    month = models.DateField(_("month"))  # the first day of the month
    version = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("rows"))
    content_hash = models.CharField(max_length=64)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["month", "-version"]
        verbose_name = _("participant report month")
        verbose_name_plural = _("participant report months")
        constraints = [
            models.UniqueConstraint(fields=["programme", "month", "version"],
                                    name="one_participant_report_version"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} v{self.version}"


class EsfUnitCost(models.Model):
    """The programme office's cost per participant hour for one year (co-financing)."""

    programme = models.ForeignKey("organisation.Programme", on_delete=models.CASCADE,
                                  related_name="esf_unit_costs")
    year = models.PositiveSmallIntegerField(_("year"))
    sek_per_hour = models.DecimalField(_("SEK per participant hour"), max_digits=9,
                                       decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("ESF unit cost")
        verbose_name_plural = _("ESF unit costs")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_unit_cost_a_year"),
            models.CheckConstraint(condition=models.Q(sek_per_hour__gt=0),
                                   name="unit_cost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.sek_per_hour}"
