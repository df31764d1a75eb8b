"""Who may see and change appointments and coaching (on top of accounts.access)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from modig.accounts import access
from modig.ambassadors.models import Appointment, CoachingActivity
from modig.ambassadors.queries import active_appointments_of


def appointment_for_user(user, pk: int) -> Appointment:
    """An appointment the user manages: 404 outside their municipalities."""
    appointment = (Appointment.objects.select_related("person", "municipality")
                   .filter(pk=pk, municipality__in=access.editable_municipalities(user)).first())
    if appointment is None:
        raise Http404
    return appointment


def can_manage_appointments(user) -> bool:
    return access.editable_municipalities(user).exists()


def my_appointments(user):
    return active_appointments_of(user.person_id)


def logging_appointment(user) -> Appointment:
    """The active appointment coaching is logged under: 403 for someone who is not an
    ambassador today."""
    appointments = list(my_appointments(user))
    if not appointments:
        raise PermissionDenied
    return appointments[0]


def activity_for_user(user, pk: int) -> CoachingActivity:
    """An activity of my own, or of a municipality I manage."""
    activity = (CoachingActivity.objects
                .select_related("appointment__person", "appointment__municipality", "unit",
                                "topic_competence").filter(pk=pk).first())
    if activity is None:
        raise Http404
    own = user.person_id and activity.appointment.person_id == user.person_id
    if not (own or access.can_edit_municipality(user, activity.appointment.municipality)):
        raise Http404
    return activity
