"""Coaching as a source of the training ledger (training/ledger.py; DESIGN.md definitions).

A named participant of a coaching activity gets the activity's minutes on its date. People
only counted (`counted_participants`) are not people in the register and give no entry. Only
activities in the programme's municipalities and inside its period count.
"""

from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from modig.ambassadors.models import CoachingParticipant
from modig.organisation.models import Programme
from modig.training.ledger import Source

COACHING = "coaching"


def coaching_entries(programme: Programme) -> QuerySet:
    # A join to the programme's municipalities, not an IN: trained_people must stay one IN
    # over the union of the sources (training/tests/test_ledger_sql.py).
    return (
        CoachingParticipant.objects
        .filter(activity__appointment__municipality__programmes=programme,
                activity__date__range=(programme.starts_on, programme.ends_on))
        .annotate(entry_person=F("person_id"), entry_on=F("activity__date"),
                  entry_minutes=F("activity__minutes"),
                  entry_kind=Value(COACHING, output_field=CharField()),
                  entry_id=F("pk"),
                  entry_course=Value(None, output_field=IntegerField()),
                  entry_title=Coalesce(NullIf(F("activity__topic_text"), Value("")),
                                       F("activity__topic_technology__name"),
                                       F("activity__topic_competence__title_sv"),
                                       Value(""), output_field=CharField()))
    )


COACHING_SOURCE = Source(COACHING, coaching_entries)


def coached_on_technology(introduction, until=None) -> QuerySet:
    """People named at coaching on the introduction's technology at a unit in its scope (on or
    before `until`): they count as trained on it in the introduction's coverage figure
    (learning.queries.coverage). Registered in AmbassadorsConfig.ready."""
    from modig.learning.queries import task_units

    participants = CoachingParticipant.objects.filter(
        activity__topic_technology_id=introduction.technology_id,
        activity__unit__in=task_units(introduction).values("pk"))
    if until is not None:
        participants = participants.filter(activity__date__lte=until)
    return participants.order_by().values("person_id")
