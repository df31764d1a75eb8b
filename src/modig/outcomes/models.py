"""The outcome figures' own snapshot: the paired respondents of a follow-up round with whether
each improved (figures.measured_improvement's definition), so the dashboards read 300,000
rows instead of averaging 15 million answers on every page.

Exactness: a submitted response's answers and place never change (answering refuses a
submitted response), so the pairs only change when a response of either round is submitted
or removed, or when merging two people moves a pseudonym. The snapshot stores a signature of
both rounds' submitted responses (count, latest submission, highest id, responses with a
pseudonym) and is read only while the signature is unchanged; a merge of two people deletes
every improvement snapshot (outcomes/apps.py), so the next read is live and rebuilds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImprovementSnapshot(models.Model):
    """When a follow-up round's pairs were built, and from which signature of the rounds."""

    follow_up = models.OneToOneField("surveys.Round", on_delete=models.CASCADE,
                                     primary_key=True, related_name="+")
    signature = models.CharField(max_length=300, blank=True)
    # The ledger's version (ledger.version) the hours-band counts were built from.
    ledger_version = models.CharField(max_length=100, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("improvement snapshot")
        verbose_name_plural = _("improvement snapshots")

    def __str__(self) -> str:
        return f"{self.follow_up_id} at {self.built_at}"


class PairedImprovement(models.Model):
    """One paired respondent of a follow-up round: their pseudonym, the follow-up response's
    municipality and whether their mean self-rating rose by at least the margin."""

    follow_up = models.ForeignKey("surveys.Round", on_delete=models.CASCADE, related_name="+")
    respondent_key = models.UUIDField()
    municipality_id = models.IntegerField(null=True, blank=True)
    improved = models.SmallIntegerField()  # 1 or 0, summed by the figures

    class Meta:
        verbose_name = _("paired improvement")
        verbose_name_plural = _("paired improvements")
        indexes = [models.Index(fields=["follow_up", "municipality_id"],
                                name="outcomes_pair_round_place")]

    def __str__(self) -> str:
        return f"{self.follow_up_id}: {self.respondent_key} {self.improved}"


class ImprovementCount(models.Model):
    """A follow-up round's pairs and improved respondents per municipality of the follow-up
    response (kind "municipality", key its id, "" for none) and per training-hours band
    (kind "band", key figures.HOUR_BANDS; current only while the ledger's version is the one
    they were built from, too)."""

    follow_up = models.ForeignKey("surveys.Round", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=20, blank=True)
    pairs = models.PositiveIntegerField()
    improved = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("improvement count")
        verbose_name_plural = _("improvement counts")
        indexes = [models.Index(fields=["follow_up", "kind"], name="outcomes_count_round_kind")]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.kind} {self.key}: {self.improved}/{self.pairs}"
