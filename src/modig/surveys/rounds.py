"""Survey round services: create and change a draft, publish it, close it early.

A round is a draft until it is published. Publishing freezes the questionnaire (it can never
change once answers may refer to it), stamps `published_at` and queues the invitation job
after the transaction commits. After publishing only the name, the last day and the days
between reminders may change; the population and the questionnaire stay as they were sent.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.organisation.models import Programme
from modig.surveys.models import Questionnaire, Round
from modig.surveys.population import Population, for_round

EDITABLE_AFTER_PUBLISHING = ("name", "closes_on", "reminder_days")
MAX_REMINDER_DAYS = 60


def group_size_floor() -> int:
    return max(3, getattr(settings, "MODIG_MIN_GROUP_SIZE_FLOOR", 3))


def default_min_group_size(programme: Programme) -> int:
    return max(programme.min_group_size, group_size_floor())


@dataclass
class RoundData:
    """What the round form gives the service (also usable from code and tests)."""

    name: str
    questionnaire: Questionnaire
    opens_on: object
    closes_on: object
    kind: str = Round.Kind.BASELINE
    anonymity: str = Round.Anonymity.PSEUDONYMOUS
    min_group_size: int | None = None
    baseline: Round | None = None
    reminder_days: int = 7
    municipalities: list = field(default_factory=list)
    units: list = field(default_factory=list)
    target_groups: list = field(default_factory=list)
    occupations: list = field(default_factory=list)


def _check(programme: Programme, data: RoundData, *, round_: Round | None = None) -> None:
    """Every rule of a round, as Swedish messages tied to the form's fields."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not (data.name or "").strip():
        add("name", _("Give the round a name, for example “Baseline autumn 2026”."))
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        add("closes_on", _("The last day must be on or after the first day."))
    if data.min_group_size is not None and data.min_group_size < group_size_floor():
        add("min_group_size", _("The smallest group shown must be at least %(n)s people.")
            % {"n": group_size_floor()})
    if not 0 <= data.reminder_days <= MAX_REMINDER_DAYS:
        add("reminder_days", _("Choose between 0 and %(n)s days.") % {"n": MAX_REMINDER_DAYS})
    if data.kind == Round.Kind.FOLLOW_UP:
        if data.baseline is None:
            add("baseline", _("A follow-up needs the baseline round it is compared with."))
        elif data.baseline.programme_id != programme.pk or (
                round_ is not None and data.baseline.pk == round_.pk):
            add("baseline", _("Choose another round of the programme as the baseline."))
        elif data.baseline.published_at is None:
            add("baseline", _("The baseline round has not been published. Choose a "
                              "published round."))
        elif data.baseline.questionnaire.framework_id != data.questionnaire.framework_id:
            add("baseline", _("The baseline round uses another competence framework, so the "
                              "results cannot be compared."))
    elif data.baseline is not None:
        add("baseline", _("Only a follow-up has a baseline round. Choose “Follow-up” as the "
                          "kind, or leave the baseline empty."))
    programme_municipalities = set(programme.municipalities.values_list("pk", flat=True))
    if any(m.pk not in programme_municipalities for m in data.municipalities):
        add("municipalities", _("Choose only municipalities that take part in the programme."))
    if any(u.municipality_id not in programme_municipalities for u in data.units):
        add("units", _("Choose only units in municipalities that take part in the programme."))
    if errors:
        raise ValidationError(errors)


def _set_population(round_: Round, data: RoundData) -> None:
    round_.municipalities.set(data.municipalities)
    round_.units.set(data.units)
    round_.target_groups.set(data.target_groups)
    round_.occupations.set(data.occupations)


@transaction.atomic
def create_round(programme: Programme, data: RoundData, *, user=None) -> Round:
    """Save a new draft round."""
    _check(programme, data)
    round_ = Round.objects.create(
        programme=programme, name=data.name.strip(), questionnaire=data.questionnaire,
        kind=data.kind, anonymity=data.anonymity,
        baseline=data.baseline if data.kind == Round.Kind.FOLLOW_UP else None,
        opens_on=data.opens_on, closes_on=data.closes_on,
        min_group_size=data.min_group_size or default_min_group_size(programme),
        reminder_days=data.reminder_days,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _set_population(round_, data)
    return round_


@transaction.atomic
def update_round(round_: Round, data: RoundData) -> Round:
    """Change a draft; after publishing only the name, last day and reminder interval."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.published_at is not None:
        return _update_published(round_, data)
    _check(round_.programme, data, round_=round_)
    round_.name = data.name.strip()
    round_.questionnaire = data.questionnaire
    round_.kind, round_.anonymity = data.kind, data.anonymity
    round_.baseline = data.baseline if data.kind == Round.Kind.FOLLOW_UP else None
    round_.opens_on, round_.closes_on = data.opens_on, data.closes_on
    round_.min_group_size = data.min_group_size or default_min_group_size(round_.programme)
    round_.reminder_days = data.reminder_days
    round_.save()
    _set_population(round_, data)
    return round_


def _update_published(round_: Round, data: RoundData) -> Round:
    errors = {}
    if round_.closed_at is not None:
        raise ValidationError(_("The round is closed and can no longer be changed."),
                              code="round_closed")
    if not (data.name or "").strip():
        errors["name"] = [_("Give the round a name.")]
    if data.closes_on < max(round_.opens_on, timezone.localdate()):
        errors["closes_on"] = [_("The last day cannot be before today or before the first "
                                 "day. To stop the round now, close it instead.")]
    if not 0 <= data.reminder_days <= MAX_REMINDER_DAYS:
        errors["reminder_days"] = [_("Choose between 0 and %(n)s days.")
                                   % {"n": MAX_REMINDER_DAYS}]
    if errors:
        raise ValidationError(errors)
    round_.name, round_.closes_on = data.name.strip(), data.closes_on
    round_.reminder_days = data.reminder_days
    round_.save(update_fields=[*EDITABLE_AFTER_PUBLISHING, "updated_at"])
    return round_


def _freeze(questionnaire: Questionnaire) -> None:
    """Freeze through the authoring module when it offers `freeze`; else stamp it here."""
    try:
        from modig.surveys.questionnaires import freeze
    except ImportError:  # the authoring module is not there (yet)
        freeze = None
    if freeze is not None:
        freeze(questionnaire)
    elif questionnaire.frozen_at is None:
        Questionnaire.objects.filter(pk=questionnaire.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now())


def publish_round(round_: Round, *, population_size: int | None = None) -> Round:
    """Publish a draft: freeze its questionnaire and queue the invitations."""
    from modig.surveys.tasks import invite_round

    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related(
            "questionnaire", "programme").get(pk=round_.pk)
        if round_.published_at is not None:
            raise ValidationError(_("The round is already published."), code="published")
        if round_.closes_on < timezone.localdate():
            raise ValidationError(_("The last day has already passed. Change the dates "
                                    "before you publish."), code="round_past")
        if not round_.questionnaire.items.exists():
            raise ValidationError(_("The questionnaire has no questions. Choose another "
                                    "questionnaire."), code="questionnaire_empty")
        size = population_size if population_size is not None else for_round(round_).count()
        if size == 0:
            raise ValidationError(_("Nobody is in the population. Choose other "
                                    "municipalities, units, groups or occupations."),
                                  code="population_empty")
        _freeze(round_.questionnaire)
        round_.published_at = timezone.now()
        round_.save(update_fields=["published_at", "updated_at"])
        round_id = round_.pk
        transaction.on_commit(lambda: invite_round.enqueue(round_id))
    return round_


@transaction.atomic
def close_round(round_: Round) -> Round:
    """Close a published round now: no more answers, messages or reminders."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.published_at is None:
        raise ValidationError(_("A draft cannot be closed. It has not been sent to anyone."),
                              code="draft")
    if round_.closed_at is not None:
        raise ValidationError(_("The round is already closed."), code="closed")
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at", "updated_at"])
    # The final figures are built once, right away, instead of when someone first looks.
    from modig.surveys.results_snapshot import request_refresh

    request_refresh(round_)
    return round_


def population_of(data: RoundData, programme: Programme) -> Population:
    """The population a form describes, before it is saved (for "N people are included")."""
    return Population.of(programme, municipalities=data.municipalities, units=data.units,
                         target_groups=data.target_groups, occupations=data.occupations)


def status(round_: Round) -> str:
    """draft, scheduled, open, ended, closed: what the lists and detail page show."""
    if round_.published_at is None:
        return "draft"
    if round_.closed_at is not None:
        return "closed"
    today = timezone.localdate()
    if today < round_.opens_on:
        return "scheduled"
    if today > round_.closes_on:
        return "ended"
    return "open"
