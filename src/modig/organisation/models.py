"""The organisation registry: programme, municipalities, units, people and their employments."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modig.organisation.identity import mask_identity_number


class StaffCategory(models.TextChoices):
    BASE = "base", _("Base staff")
    MANAGEMENT = "management", _("Management")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    owner_organisation = models.CharField(_("owner organisation"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_people_total = models.PositiveIntegerField(_("target: people trained"), default=0)
    target_people_base = models.PositiveIntegerField(_("target: base staff trained"), default=0)
    target_people_management = models.PositiveIntegerField(
        _("target: managers trained"), default=0
    )
    target_training_hours = models.PositiveIntegerField(_("target: training hours"), default=0)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size for reporting"), default=5
    )
    municipalities = models.ManyToManyField(
        "Municipality", related_name="programmes", verbose_name=_("municipalities"), blank=True
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_order"
            ),
            models.CheckConstraint(condition=Q(min_group_size__gte=3), name="programme_min_group"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """A target for people trained in one target group (e.g. 160 operational managers)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    target_group = models.ForeignKey("TargetGroup", on_delete=models.PROTECT)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "target_group"], name="one_target_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_group}: {self.people}"


class Municipality(models.Model):
    code = models.CharField(_("SCB municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county_code = models.CharField(_("county code"), max_length=2)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class OperationArea(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("operation area")
        verbose_name_plural = _("operation areas")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    class Code(models.TextChoices):
        STRATEGIST = "strategist", _("Strategist")
        OPERATIONAL_MANAGER = "operational_manager", _("Operational manager")
        LOCAL_PROJECT_LEADER = "local_project_leader", _("Local project leader")
        AMBASSADOR = "ambassador", _("Digital ambassador")
        BASE_STAFF = "base_staff", _("Base staff")

    code = models.CharField(_("code"), max_length=40, choices=Code.choices, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return str(self.Code(self.code).label)


class Occupation(models.Model):
    """An SSYK 2012 unit group (shared/domain/occupations.csv)."""

    ssyk_code = models.CharField(_("SSYK code"), max_length=4, unique=True)
    title_sv = models.CharField(_("Swedish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    staff_category = models.CharField(
        _("staff category"), max_length=20, choices=StaffCategory.choices
    )

    class Meta:
        ordering = ["ssyk_code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.ssyk_code} {self.title_sv}"


class UnitQuerySet(models.QuerySet):
    def in_subtree_of(self, units) -> "UnitQuerySet":
        """Units at or below any of the given units."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)


class Unit(models.Model):
    """A node in a municipality's tree: förvaltning → område → enhet → arbetsgrupp."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        AREA = "area", _("Area")
        UNIT = "unit", _("Unit")
        WORK_GROUP = "work_group", _("Work group")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("unit code"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    operation_area = models.ForeignKey(
        OperationArea, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    # Materialised path of primary keys ("/3/17/42/"), kept by organisation.services so that
    # a subtree is one indexed prefix query.
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "parent", "name"], name="unit_name_unique_in_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """One human, counted once in every figure whatever their employments."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        UNKNOWN = "unknown", _("Not stated")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    # Personnummer or samordningsnummer, 12 digits without separator; only for ESF reporting.
    identity_number = models.CharField(
        _("identity number"), max_length=12, blank=True, db_index=True
    )
    has_protected_identity = models.BooleanField(_("protected identity"), default=False)
    # Pairs a person's survey answers across rounds without naming them.
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_number"],
                condition=~Q(identity_number=""),
                name="identity_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_identity_number(self) -> str:
        return mask_identity_number(self.identity_number)


class EmploymentQuerySet(models.QuerySet):
    def active(self) -> "EmploymentQuerySet":
        return self.filter(is_active=True)


class Employment(models.Model):
    """A person's employment in one municipality."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="employments"
    )
    employee_id = models.CharField(_("employee id"), max_length=50)
    units = models.ManyToManyField(Unit, related_name="employments", verbose_name=_("units"))
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("occupation")
    )
    staff_category = models.CharField(
        _("staff category"), max_length=20, choices=StaffCategory.choices,
        default=StaffCategory.BASE,
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="employments", verbose_name=_("target groups")
    )
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "employee_id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "employee_id"], name="employee_id_unique_in_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} ({self.municipality})"


class DuplicateDecision(models.Model):
    """A coordinator's decision that two people who look alike are in fact different humans."""

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="one_decision"),
            models.CheckConstraint(
                condition=Q(person_low__lt=models.F("person_high")), name="decision_pair_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} ≠ {self.person_high_id}"
