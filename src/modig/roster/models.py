"""Roster imports: the column mapping a municipality's files use, and the log of every import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnMapping(models.Model):
    """The last column mapping a municipality used, so its next file maps itself."""

    municipality = models.OneToOneField(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="column_mapping"
    )
    # {normalised header: field key}
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.municipality)


class RosterImportQuerySet(models.QuerySet):
    def without_content(self) -> "RosterImportQuerySet":
        """Lists never load the uploaded file itself."""
        return self.defer("content", "problems", "headers")


class RosterImport(models.Model):
    """One uploaded staff list, from upload through check and preview to commit."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Choose columns")
        CHECK_QUEUED = "check_queued", _("Waiting to be checked")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, ready to save")
        COMMIT_QUEUED = "commit_queued", _("Waiting to be saved")
        COMMITTING = "committing", _("Being saved")
        COMMITTED = "committed", _("Saved")
        FAILED = "failed", _("Failed, nothing was changed")

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, related_name="roster_imports",
        verbose_name=_("municipality"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=10)  # csv or xlsx
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    # The uploaded file; emptied once the import is saved (data minimisation).
    content = models.BinaryField(default=b"", editable=False)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # {header as in the file: field key}
    confirmed_units = models.JSONField(default=list)  # unit paths the person agreed to create
    new_units = models.JSONField(default=list)  # unit paths the file names that do not exist
    is_full = models.BooleanField(_("full import"), default=False)
    confirmed_deactivations = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.MAPPING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors_count = models.PositiveIntegerField(default=0)
    warnings_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)  # the first problems, see services.MAX_PROBLEMS
    problem_summary = models.JSONField(default=dict)  # {code: count}
    # What the preview expects, then what the commit did.
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    missing_count = models.PositiveIntegerField(default=0)  # active, not in the file
    deactivated_count = models.PositiveIntegerField(default=0)
    units_created_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        indexes = [models.Index(fields=["municipality", "sha256", "status"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.municipality})"

    @property
    def is_busy(self) -> bool:
        return self.status in {
            self.Status.CHECK_QUEUED, self.Status.CHECKING,
            self.Status.COMMIT_QUEUED, self.Status.COMMITTING,
        }

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and self.errors_count == 0

    @property
    def status_text(self) -> str:
        """The status in words; a checked file with errors is not "ready to save"."""
        if self.status == self.Status.CHECKED and self.errors_count:
            return _("Checked: correct the errors in the file and upload it again")
        return self.get_status_display()

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
