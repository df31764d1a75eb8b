"""The managers' change log (issue 6): each routine a manager moved to a digital or mobile
way of working. The outcome "managers who changed at least one routine" is read from here
(plans/queries.py), with its denominator."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modig.organisation.models import Person, Unit


class RoutineChange(models.Model):
    class Way(models.TextChoices):
        DIGITAL = "digital", _("Digital way of working")
        MOBILE = "mobile", _("Mobile way of working")

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="routine_changes",
                                verbose_name=_("manager"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="routine_changes",
                             verbose_name=_("unit"))
    changed_on = models.DateField(_("date of the change"))
    routine = models.CharField(_("routine"), max_length=200)
    way = models.CharField(_("new way of working"), max_length=10, choices=Way.choices)
    description = models.TextField(_("what changed"), max_length=1000, blank=True)
    # The form's one-time key: a double tap or a resent form records the change once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("routine change")
        verbose_name_plural = _("routine changes")
        indexes = [models.Index(fields=["manager", "changed_on"])]

    def __str__(self) -> str:
        return f"{self.routine} ({self.changed_on})"
