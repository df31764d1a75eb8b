"""Self-assessment: questionnaires, survey rounds, invitations, responses and answers.

Privacy shapes the tables (DESIGN.md, privacy rules):
- A response never points at a person. In a pseudonymous round it carries the person's
  pseudonym, so baseline and follow-up can be paired; in an anonymous round it carries nothing
  once submitted (the link to the invitation is cut in the same transaction).
- Invitation secrets are stored only as digests; the link token and the short code are derived
  from a per-invitation salt and the server's secret (see `surveys.tokens`), so a copy of the
  database alone cannot open anyone's survey.
- Group attributes (municipality, unit, occupation, target group) are copied onto the response
  when it starts, so results are grouped without joining back to people.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(sv: str, en: str) -> str:
    if (get_language() or "sv").startswith("en") and en:
        return en
    return sv


# The response columns of the follow-up items (Item.OutcomeField), for constraints.
OUTCOME_FIELDS = ("knowledge_gain", "routine_changed", "leadership_gain")


class Questionnaire(models.Model):
    """A versioned questionnaire. Editable until a round uses it; then frozen for good."""

    class Audience(models.TextChoices):
        STAFF = "staff", _("Care staff")
        MANAGER = "manager", _("Managers")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions",
        verbose_name=_("based on"),
    )
    framework = models.ForeignKey(
        "competence.Framework", on_delete=models.PROTECT, related_name="questionnaires",
        verbose_name=_("competence framework"),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.STAFF
    )
    title_sv = models.CharField(_("Swedish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    intro_sv = models.TextField(_("Swedish introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return _in_language(self.title_sv, self.title_en)

    @property
    def intro(self) -> str:
        return _in_language(self.intro_sv, self.intro_en)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Item(models.Model):
    """One question. Rating items rate one competence on the five-step scale (`surveys.scale`);
    background items fill a group attribute of the response (unit, occupation, …); follow-up
    items ("outcome") ask directly what changed and are shown only in follow-up rounds
    (`Round.asks_follow_up_items`). Background and follow-up items both name the response
    column their answer goes to in `background_field`, and both have fixed `choices`."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Self-rating")
        BACKGROUND = "background", _("Background")
        OUTCOME = "outcome", _("Follow-up question")

    class BackgroundField(models.TextChoices):
        UNIT = "unit", _("Workplace (unit)")
        OCCUPATION = "occupation", _("Occupation")
        YEARS_IN_CARE = "years_in_care", _("Years in care work")
        DIGITAL_USE = "digital_use", _("How often digital tools are used at work")

    class OutcomeField(models.TextChoices):
        """The response columns of the follow-up items (values in OUTCOME_* below)."""

        KNOWLEDGE_GAIN = "knowledge_gain", _("Digital knowledge has become stronger")
        ROUTINE_CHANGED = "routine_changed", _(
            "Changed at least one routine to a digital or mobile way of working")
        LEADERSHIP_GAIN = "leadership_gain", _(
            "Ability to lead a digitalised workplace has become stronger")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RATING)
    competence = models.ForeignKey(
        "competence.Competence", on_delete=models.PROTECT, null=True, blank=True,
        related_name="items", verbose_name=_("competence"),
    )
    # The response column a background or follow-up item fills ("" for a rating item).
    background_field = models.CharField(
        _("background field"), max_length=20,
        choices=BackgroundField.choices + OutcomeField.choices, blank=True
    )
    text_sv = models.CharField(_("Swedish text"), max_length=400)
    text_en = models.CharField(_("English text"), max_length=400, blank=True)
    example_sv = models.CharField(_("Swedish example"), max_length=400, blank=True)
    example_en = models.CharField(_("English example"), max_length=400, blank=True)
    # Fixed choices of a background item: [{"value": 1, "sv": "…", "en": "…"}, …]. Unit and
    # occupation take their choices from the registry instead.
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["questionnaire", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="rating", competence__isnull=False, background_field="")
                           | Q(kind="background", competence__isnull=True)
                           & ~Q(background_field="")
                           & ~Q(background_field__in=OUTCOME_FIELDS)
                           | Q(kind="outcome", competence__isnull=True,
                               background_field__in=OUTCOME_FIELDS)),
                name="item_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_sv, self.text_en)

    @property
    def example(self) -> str:
        return _in_language(self.example_sv, self.example_en)


# Answers to a follow-up item (Item.choices hold the same values with their texts): 3 and 2
# are the two "yes" answers, 1 is "no", 0 is "don't know" (left out of every share).
OUTCOME_YES_MUCH = 3
OUTCOME_YES_SOME = 2
OUTCOME_NO = 1
OUTCOME_DONT_KNOW = 0
OUTCOME_YES = (OUTCOME_YES_MUCH, OUTCOME_YES_SOME)
OUTCOME_VALUES = (OUTCOME_YES_MUCH, OUTCOME_YES_SOME, OUTCOME_NO, OUTCOME_DONT_KNOW)


class RoundQuerySet(models.QuerySet):
    def open_on(self, day) -> "RoundQuerySet":
        return self.filter(
            published_at__isnull=False, closed_at__isnull=True,
            opens_on__lte=day, closes_on__gte=day,
        )

    def open_now(self) -> "RoundQuerySet":
        return self.open_on(timezone.localdate())


class Round(models.Model):
    """One survey round: a questionnaire sent to a population between two dates."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")
        RECURRING = "recurring", _("Recurring")

    class Anonymity(models.TextChoices):
        PSEUDONYMOUS = "pseudonymous", _("Pseudonymous (baseline and follow-up can be paired)")
        ANONYMOUS = "anonymous", _("Fully anonymous")

    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.PROTECT, related_name="survey_rounds",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds",
        verbose_name=_("questionnaire"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BASELINE)
    anonymity = models.CharField(
        _("anonymity"), max_length=20, choices=Anonymity.choices,
        default=Anonymity.PSEUDONYMOUS,
    )
    baseline = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups",
        verbose_name=_("baseline round"),
        help_text=_("The round a follow-up is compared with."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size for reporting"))
    # Population: people whose active employment matches every dimension that has a value
    # (within a dimension, any of the values). Units include their subtrees.
    municipalities = models.ManyToManyField(
        "organisation.Municipality", blank=True, related_name="+",
        verbose_name=_("municipalities"),
    )
    units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="+", verbose_name=_("units")
    )
    target_groups = models.ManyToManyField(
        "organisation.TargetGroup", blank=True, related_name="+", verbose_name=_("target groups")
    )
    occupations = models.ManyToManyField(
        "organisation.Occupation", blank=True, related_name="+", verbose_name=_("occupations")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=7,
        help_text=_("0 sends no reminders."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_period_order"
            ),
            models.CheckConstraint(condition=Q(min_group_size__gte=3), name="round_min_group"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pseudonymous(self) -> bool:
        return self.anonymity == self.Anonymity.PSEUDONYMOUS

    @property
    def asks_follow_up_items(self) -> bool:
        """Follow-up items (Item.Kind.OUTCOME) are asked in follow-up rounds only: "has your
        knowledge become stronger?" means nothing before the training."""
        return self.kind == self.Kind.FOLLOW_UP

    def is_open_on(self, day) -> bool:
        return (self.published_at is not None and self.closed_at is None
                and self.opens_on <= day <= self.closes_on)

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def has_ended(self) -> bool:
        return self.closed_at is not None or timezone.localdate() > self.closes_on


class Invitation(models.Model):
    """One invited person in one round, with the digests of their link token and short code."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")
        LETTER = "letter", _("Printed letter")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    # Where the person worked when invited: response rates per unit read these.
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    salt = models.CharField(max_length=32, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    short_code_digest = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    # Set when the response is submitted (also in anonymous rounds: it says that, not what).
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_invitation_per_round"),
        ]
        indexes = [models.Index(fields=["round", "unit"])]

    def __str__(self) -> str:
        return f"{self.round} – {self.person_id}"


class Delivery(models.Model):
    """One message sent (or printed) for an invitation: the log behind reminders and support."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Invitation.Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.status}"


class Response(models.Model):
    """One person's answers in one round: in progress until `submitted_at` is set."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    # Kept while the survey is in progress (so the person can resume on any device); cut on
    # submit in anonymous rounds.
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    # The person's pseudonym in pseudonymous rounds: pairs baseline with follow-up.
    respondent_key = models.UUIDField(null=True, blank=True, editable=False)
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occupation = models.ForeignKey(
        "organisation.Occupation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    target_group = models.ForeignKey(
        "organisation.TargetGroup", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    staff_category = models.CharField(max_length=20, blank=True)
    years_in_care = models.PositiveSmallIntegerField(null=True, blank=True)
    digital_use = models.PositiveSmallIntegerField(null=True, blank=True)
    # Answers to the follow-up items (Item.OutcomeField; values OUTCOME_*, 0 = don't know),
    # asked only in follow-up rounds; empty when not asked or not answered.
    knowledge_gain = models.PositiveSmallIntegerField(null=True, blank=True)
    routine_changed = models.PositiveSmallIntegerField(null=True, blank=True)
    leadership_gain = models.PositiveSmallIntegerField(null=True, blank=True)
    # The page the person was last on, so a resumed survey opens where they stopped.
    current_page = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent_key"], name="one_response_per_pseudonym"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "submitted_at"]),
            models.Index(fields=["round", "unit"]),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """A self-rating: 1–5 on the scale, 0 for "don't know / not relevant"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(condition=Q(value__lte=5), name="answer_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class FailedCodeAttempt(models.Model):
    """A wrong short code or link typed from one address: the respondent pages refuse further
    tries from an address with too many recent ones (see `surveys.answering`). Kept in the
    database so every server process sees the same count. Never holds what was typed."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("failed code attempt")
        verbose_name_plural = _("failed code attempts")
        indexes = [models.Index(fields=["ip_address", "at"])]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at:%Y-%m-%d %H:%M}"


# Results snapshot (surveys.results_snapshot builds it; surveys.results reads it) -------------
# Counting 7.5 million answers per page view is too slow, so the results pages read these
# small tables: submitted responses and answers per group, and paired changes. They hold
# counts only; the privacy rules apply when figures are read (modig.lib.privacy).


class ResultSnapshot(models.Model):
    """When a round's result tables were last built, and whether a rebuild is queued."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="results_snapshot")
    built_at = models.DateTimeField(null=True, blank=True)
    # The newest submission the tables include: newer ones make the snapshot stale.
    latest_submitted_at = models.DateTimeField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.round_id} {self.built_at}"


class ResultCell(models.Model):
    """The group a snapshot row counts: a round's municipality × unit × occupation × target
    group (each may be empty). The snapshot tables below share these columns."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, null=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, null=True, related_name="+"
    )
    occupation = models.ForeignKey(
        "organisation.Occupation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    target_group = models.ForeignKey(
        "organisation.TargetGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["round", "municipality"])]


class ResultGroup(ResultCell):
    """Submitted responses of a round per municipality × unit × occupation × target group."""

    respondents = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.round_id}: {self.respondents}"


class ResultCount(ResultCell):
    """Answers of a round per group (as in ResultGroup) × item × scale value."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()
    answers = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.round_id}: {self.item_id}={self.value} × {self.answers}"


class ResultPair(ResultCell):
    """Follow-up against baseline for the same people (pseudonymous rounds): per group of the
    follow-up response and competence area, the number of pairs and the sum of their changes
    in mean self-rating."""

    area = models.ForeignKey("competence.CompetenceArea", on_delete=models.CASCADE,
                             related_name="+")
    pairs = models.PositiveIntegerField()
    change_sum = models.FloatField()

    def __str__(self) -> str:
        return f"{self.round_id}: {self.area_id} {self.pairs} pairs"
