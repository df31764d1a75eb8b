"""Welfare technology and long-term workplace learning (issue 6).

A `Technology` is a catalogue entry tied to the DigComp competences it calls for. A
`TechnologyIntroduction` is a unit (with the units below it) or a whole municipality taking a
technology into use on a go-live date, for some occupations (none: everyone). The services
(learning/services.py) turn an introduction into one `LearningNeed` per affected person and one
`LearningTask` per unit where they work ("introduce <technology> to the staff": the unit's
ambassador's task, read by the ambassadors app through learning/queries.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Technology(models.Model):
    class Category(models.TextChoices):
        SAFETY_ALARM = "safety_alarm", _("Safety alarm")
        MOBILE_SAFETY_ALARM = "mobile_safety_alarm", _("Mobile safety alarm")
        REMOTE_SUPERVISION = "remote_supervision", _("Remote supervision")
        SENSORS = "sensors", _("Sensors and passive alarms")
        DIGITAL_LOCK = "digital_lock", _("Digital lock")
        MEDICATION_DISPENSER = "medication_dispenser", _("Medication dispenser")
        DIGITAL_SIGNING = "digital_signing", _("Digital signing")
        MOBILE_DOCUMENTATION = "mobile_documentation", _("Mobile documentation")
        VIDEO_COMMUNICATION = "video_communication", _("Video communication")
        TABLETS_FOR_USERS = "tablets_for_users", _("Tablets for care recipients")
        E_COMMERCE = "e_commerce", _("Online shopping")
        ROBOTICS = "robotics", _("Robotics")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    competences = models.ManyToManyField(
        "competence.Competence", blank=True, related_name="technologies",
        verbose_name=_("competences"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("welfare technology")
        verbose_name_plural = _("welfare technologies")

    def __str__(self) -> str:
        return self.name


class TechnologyIntroduction(models.Model):
    """A technology going live in a unit's subtree, or in the whole municipality (no unit)."""

    technology = models.ForeignKey(
        Technology, on_delete=models.PROTECT, related_name="introductions",
        verbose_name=_("technology"),
    )
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT,
        related_name="technology_introductions", verbose_name=_("municipality"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="technology_introductions", verbose_name=_("unit"),
        help_text=_("Leave empty to introduce it in the whole municipality."),
    )
    go_live_on = models.DateField(_("go-live date"))
    occupations = models.ManyToManyField(
        "organisation.Occupation", blank=True, related_name="technology_introductions",
        verbose_name=_("occupations"),
        help_text=_("Leave all unticked to include every occupation."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-go_live_on", "pk"]
        verbose_name = _("technology introduction")
        verbose_name_plural = _("technology introductions")

    def __str__(self) -> str:
        return f"{self.technology} ({self.unit or self.municipality}, {self.go_live_on})"

    @property
    def scope_name(self) -> str:
        return str(self.unit or self.municipality)


class LearningNeed(models.Model):
    """One person's need to learn a technology an introduction brings to their unit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")

    introduction = models.ForeignKey(
        TechnologyIntroduction, on_delete=models.CASCADE, related_name="needs"
    )
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.CASCADE, related_name="learning_needs"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="learning_needs",
        help_text="The unit the person works in (inside the introduction's scope).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True)
    # Who marked it met on a page (empty: met by the demo or before this was recorded).
    met_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["introduction", "person"]
        constraints = [
            models.UniqueConstraint(fields=["introduction", "person"],
                                    name="one_need_per_person_and_introduction"),
            models.CheckConstraint(
                condition=Q(status="open", met_on__isnull=True)
                | Q(status="met", met_on__isnull=False),
                name="need_met_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.introduction.technology}"


class LearningTask(models.Model):
    """A unit-level task for the unit's ambassador: introduce the technology to the staff, or
    (kind newcomer) introduce a new colleague to the technologies the unit is bringing in."""

    class Kind(models.TextChoices):
        INTRODUCE = "introduce", _("Introduce the technology to the staff")
        NEWCOMER = "newcomer", _("Introduce a new colleague")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    introduction = models.ForeignKey(
        TechnologyIntroduction, on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="learning_tasks"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTRODUCE)
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="The newcomer, for a newcomer task.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    # Set when the ambassadors were reminded of the task before go-live: once per task.
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["introduction", "unit"],
                                    condition=Q(kind="introduce"),
                                    name="one_introduce_task_per_unit"),
            models.UniqueConstraint(fields=["introduction", "unit", "person"],
                                    condition=Q(kind="newcomer"),
                                    name="one_newcomer_task_per_person"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import gettext

        if self.kind == self.Kind.NEWCOMER:
            return gettext("Introduce %(technology)s to %(person)s") % {
                "technology": self.introduction.technology, "person": self.person}
        return gettext("Introduce %(technology)s to the staff") % {
            "technology": self.introduction.technology}


class LearningResource(models.Model):
    """A short guide, a link to a video or a checklist in the shared library."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Short guide")
        VIDEO = "video", _("Video")
        CHECKLIST = "checklist", _("Checklist")
        LINK = "link", _("Link")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("address (link)"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    competences = models.ManyToManyField(
        "competence.Competence", blank=True, related_name="learning_resources",
        verbose_name=_("competences"),
    )
    technologies = models.ManyToManyField(
        Technology, blank=True, related_name="resources", verbose_name=_("technologies"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(body=""),
                                   name="resource_has_link_or_text"),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceRating(models.Model):
    """One user's rating of a resource (1-5); rating again replaces it."""

    resource = models.ForeignKey(LearningResource, on_delete=models.CASCADE,
                                 related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    stars = models.PositiveSmallIntegerField()
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_rating_per_user"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5),
                                   name="rating_one_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.stars}"


class LearningPlan(models.Model):
    """A unit's yearly learning cycle: map (self-assessment) → plan → learn → follow up."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE,
                             related_name="learning_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_and_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class LearningStep(models.Model):
    class Step(models.TextChoices):
        MAP = "map", _("Map: the self-assessment")
        PLAN = "plan", _("Plan: the unit's learning plan")
        LEARN = "learn", _("Learn")
        FOLLOW_UP = "follow_up", _("Follow up")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    # Set when the due reminder was claimed: a step is reminded about once (managers and
    # the unit's ambassadors are told in the same run).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "step"], name="one_step_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_step_display()}"
