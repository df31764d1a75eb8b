"""Coaching is a source of the hours ledger, so every change to it bumps the ledger's change
counter of the programmes it counts in (training/signals.py does the same for attendance):
a snapshot is never read after coaching changed. Bulk writes (bulk_create, QuerySet.update)
send no signals; the services that use them call `mark_coaching_changed` themselves."""

from django.db.models.signals import post_delete, post_save

from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.organisation.models import Programme
from modig.training import ledger


def mark_coaching_changed(municipality_ids) -> None:
    """Bump the ledger of every programme the municipalities take part in."""
    programmes = (Programme.objects.filter(municipalities__in=list(municipality_ids))
                  .values_list("pk", flat=True).distinct())
    for programme_id in programmes:
        ledger.mark_changed(programme_id)


def _municipality_of_appointment(appointment_id) -> list:
    return list(Appointment.objects.filter(pk=appointment_id)
                .values_list("municipality_id", flat=True))


def activity_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_coaching_changed(_municipality_of_appointment(instance.appointment_id))


def participant_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    municipalities = (CoachingActivity.objects.filter(pk=instance.activity_id)
                      .values_list("appointment__municipality_id", flat=True))
    mark_coaching_changed(municipalities)


def appointment_changed(sender, instance, raw=False, **kwargs):
    # An appointment's municipality decides which programme its coaching counts in.
    if not raw:
        mark_coaching_changed([instance.municipality_id])


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(activity_changed, sender=CoachingActivity,
                       dispatch_uid=f"ambassadors.ledger.activity.{signal is post_save}")
        signal.connect(participant_changed, sender=CoachingParticipant,
                       dispatch_uid=f"ambassadors.ledger.participant.{signal is post_save}")
        signal.connect(appointment_changed, sender=Appointment,
                       dispatch_uid=f"ambassadors.ledger.appointment.{signal is post_save}")
