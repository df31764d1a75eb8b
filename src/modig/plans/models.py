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


class ActionPlan(models.Model):
    """A municipality's (or one unit's) digital action plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    municipality = models.ForeignKey("organisation.Municipality", on_delete=models.PROTECT,
                                     related_name="action_plans",
                                     verbose_name=_("municipality"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="action_plans", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    # The form's one-time key: a double tap or a resent form adds it once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__name", "-starts_on", "title"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="action_plan_period_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("goal"), max_length=1000)
    competences = models.ManyToManyField("competence.Competence", blank=True, related_name="+",
                                         verbose_name=_("competences"))
    technologies = models.ManyToManyField("learning.Technology", blank=True, related_name="+",
                                          verbose_name=_("welfare technologies"))
    # The results the goal is based on: the survey round a draft goal was proposed from.
    source_round = models.ForeignKey("surveys.Round", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("based on the results of"))
    # The form's one-time key: a double tap or a resent form adds it once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions",
                             verbose_name=_("goal"))
    text = models.TextField(_("action"), max_length=1000)
    owner_name = models.CharField(_("owner"), max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner in the staff register"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED)
    competences = models.ManyToManyField("competence.Competence", blank=True, related_name="+",
                                         verbose_name=_("competences"))
    technologies = models.ManyToManyField("learning.Technology", blank=True, related_name="+",
                                          verbose_name=_("welfare technologies"))
    # The form's one-time key: a double tap or a resent form adds it once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpNote(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("follow-up"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    author_name = models.CharField(_("written by"), max_length=200, blank=True)
    # The form's one-time key: a double tap or a resent form adds it once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["noted_on", "pk"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self) -> str:
        return f"{self.noted_on}: {self.text[:60]}"
