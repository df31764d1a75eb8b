"""Users, their scoped role assignments, and the log of who opened personal data."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A log-in. Care staff answer surveys without one; a user may be linked to their Person."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    person = models.OneToOneField(
        "organisation.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="user", verbose_name=_("person"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    language = models.CharField(_("language"), max_length=5, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", _("Programme administrator")
    COORDINATOR = "coordinator", _("Municipality coordinator")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    AMBASSADOR = "ambassador", _("Digital ambassador")
    TRAINER = "trainer", _("Trainer")
    STAFF_MEMBER = "staff_member", _("Staff member")


# Roles whose members must use two-factor authentication.
TWO_FACTOR_ROLES = frozenset({Role.PROGRAMME_ADMIN, Role.COORDINATOR})


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self) -> "RoleAssignmentQuerySet":
        today = timezone.localdate()
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        )


class RoleAssignment(models.Model):
    """One role with its scope: a programme, a municipality, or a set of units."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.CASCADE, null=True, blank=True,
        verbose_name=_("programme"),
    )
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, null=True, blank=True,
        verbose_name=_("municipality"),
    )
    units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="role_assignments",
        verbose_name=_("units"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        scope = self.municipality or self.programme or ""
        return f"{self.get_role_display()} {scope}".strip()


class AccessLogEntry(models.Model):
    """Who opened a person's record, saw a full identity number or exported personal data."""

    class Action(models.TextChoices):
        VIEW_PERSON = "view_person", _("Opened a person's record")
        VIEW_IDENTITY_NUMBER = "view_identity_number", _("Showed a full identity number")
        EXPORT = "export", _("Exported personal data")
        IMPORT = "import", _("Imported a roster")

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="access_log_entries"
    )
    user_email = models.EmailField(_("user"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="access_log_entries",
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action}"
