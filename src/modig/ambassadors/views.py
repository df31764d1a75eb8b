"""Ambassador pages: the coaching log (phone first, works offline with static JS), the
ambassador's home page, and appointments with coverage for coordinators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.accounts import access
from modig.ambassadors import network, queries, services
from modig.ambassadors.access import (
    activity_for_user,
    appointment_for_user,
    can_manage_appointments,
    logging_appointment,
    my_appointments,
)
from modig.ambassadors.forms import AppointmentForm, CoachingForm, MicroTrainingForm
from modig.ambassadors.micro_templates import BY_KEY
from modig.ambassadors.models import Appointment
from modig.learning import queries as learning_queries


def _wants_json(request) -> bool:
    # The offline script asks for JSON so it can tell "saved" from a log-in page.
    return request.headers.get("X-Modig-Queue") == "1"


def _data(request):
    # Bound on every POST, even an empty one (request.POST or None would not be).
    return request.POST if request.method == "POST" else None


def home(request):
    appointments = list(my_appointments(request.user))
    units = queries.units_of(appointments)
    context = {
        "appointments": appointments,
        "units": units,
        "sessions": queries.upcoming_sessions(request.user, units),
        "activities": queries.recent_activities(appointments),
        "quiet_units": queries.quiet_units(units),
        "quiet_days": queries.QUIET_DAYS,
        # The learning app's tasks for the units ("introduce <technology> to the staff").
        "tasks": list(learning_queries.open_tasks_for_units(units)[:20]) if units else [],
        "open_needs": learning_queries.open_needs_for_units(units).count() if units else 0,
        "can_manage": can_manage_appointments(request.user),
    }
    context["network_upcoming"], past = network.meetings_for_person(request.user.person_id)
    context["network_past"] = past[:5]
    if request.user.person_id and appointments:
        context["track"] = queries.train_the_trainer_status(appointments[0].person)
    return render(request, "ambassadors/home.html", context)


def _roster_groups(units):
    return [(unit, list(services.unit_roster(unit))) for unit in units]


def coaching_log(request):
    appointment = logging_appointment(request.user)
    units = list(services.covered_units(appointment))
    form = CoachingForm(_data(request), units=appointment.units.all())
    if not form.is_bound and request.GET.get("enhet", "").isdigit():
        chosen = int(request.GET["enhet"])
        if any(u.pk == chosen for u in units):
            form.initial["unit"] = chosen
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.CoachingEntry(
            date=data["date"], unit=data["unit"], format=data["format"],
            minutes=data["total_minutes"], topic_text=data["topic_text"],
            topic_competence=data["topic_competence"],
            topic_technology=data["topic_technology"],
            participants=list(data["participants"]),
            counted_participants=data["counted_participants"] or 0, note=data["note"],
            idempotency_key=data["idempotency_key"])
        try:
            logged = services.log_coaching(appointment, entry, by=request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields and name != "__all__" else None,
                               errors)
        else:
            url = reverse("ambassadors:activity-detail", args=[logged.activity.pk])
            if _wants_json(request):
                return JsonResponse({"saved": True, "created": logged.created, "url": url})
            if logged.created:
                messages.success(request, _("Saved. Thank you!"))
            else:
                messages.info(request, _("This entry was already saved. Here it is."))
            return redirect(url)
    selected = {str(v) for v in (form["participants"].value() or [])}
    context = {"form": form, "appointment": appointment, "units": units,
               "roster": _roster_groups(units), "selected": selected}
    return render(request, "ambassadors/coaching_form.html", context,
                  status=400 if form.is_bound else 200)


def micro_training_create(request):
    """A short local course from a template, with one session at a unit the ambassador covers."""
    appointment = logging_appointment(request.user)
    form = MicroTrainingForm(_data(request), units=appointment.units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = BY_KEY[data["template"]]
        micro = services.MicroTraining(
            template=template, title=data["title"].strip() or template.title, unit=data["unit"],
            date=data["date"], starts_at=data["starts_at"],
            minutes=data["minutes"] or template.minutes, capacity=data["capacity"],
            idempotency_key=data["idempotency_key"])
        try:
            session, created = services.create_micro_training(appointment, micro,
                                                              by=request.user)
        except ValidationError as error:
            # Field keys go to their fields, a message without a field to the form.
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("The micro-training is in the catalogue. Sign up "
                                            "your colleagues or take the roll call here."))
            else:
                messages.info(request, _("This micro-training was already saved. Here it is."))
            return redirect("training:session-detail", session.pk)
    return render(request, "ambassadors/micro_training_form.html",
                  {"form": form, "descriptions": BY_KEY},
                  status=400 if form.is_bound else 200)


def activity_detail(request, pk: int):
    activity = activity_for_user(request.user, pk)
    participants = activity.participants.select_related("person").order_by(
        "person__first_name", "person__last_name")
    return render(request, "ambassadors/activity_detail.html",
                  {"activity": activity, "participants": participants})


def appointment_list(request):
    if not can_manage_appointments(request.user):
        raise PermissionDenied
    coverages = [queries.coverage(m) for m in
                 access.editable_municipalities(request.user)
                 .filter(units__isnull=False).distinct().order_by("name")]
    # Network attendance per ambassador (past meetings attended of those invited to).
    attendance = network.attendance_by_person(
        {a.person_id for c in coverages for a in c.appointments})
    for c in coverages:
        for a in c.appointments:
            a.network = attendance.get(a.person_id)
    return render(request, "ambassadors/appointment_list.html", {"coverages": coverages})


def _save_appointment(request, form, municipality, appointment=None):
    data = form.cleaned_data
    fields = dict(units=data["units"], time_percent=data["time_percent"],
                  starts_on=data["starts_on"], ends_on=data["ends_on"], by=request.user)
    try:
        if appointment is None:
            appointment = services.appoint(data["person"], municipality, **fields)
        else:
            services.update_appointment(appointment, **fields)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
    return appointment


def appointment_create(request, code: str):
    municipality = access.municipality_for_user(request.user, code, write=True)
    form = AppointmentForm(_data(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        appointment = _save_appointment(request, form, municipality)
        if appointment is not None:
            messages.success(request, _("The ambassador is appointed."))
            return redirect("ambassadors:appointment-detail", appointment.pk)
    return render(request, "ambassadors/appointment_form.html",
                  {"form": form, "municipality": municipality})


def appointment_detail(request, pk: int):
    appointment = appointment_for_user(request.user, pk)
    return render(request, "ambassadors/appointment_detail.html", {
        "appointment": appointment, "units": appointment.units.order_by("path"),
        "track": queries.train_the_trainer_status(appointment.person),
        "activities": queries.recent_activities([appointment]),
        "network": network.attendance_by_person([appointment.person_id])[
            appointment.person_id],
    })


def appointment_edit(request, pk: int):
    appointment = appointment_for_user(request.user, pk)
    initial = {"units": appointment.units.all(), "time_percent": appointment.time_percent,
               "starts_on": appointment.starts_on, "ends_on": appointment.ends_on}
    form = AppointmentForm(_data(request), initial=initial,
                           municipality=appointment.municipality, appointment=appointment)
    if (request.method == "POST" and form.is_valid()
            and _save_appointment(request, form, appointment.municipality, appointment)):
        messages.success(request, _("The appointment is changed."))
        return redirect("ambassadors:appointment-detail", appointment.pk)
    return render(request, "ambassadors/appointment_form.html",
                  {"form": form, "municipality": appointment.municipality,
                   "appointment": appointment})


@require_POST
def appointment_end(request, pk: int):
    appointment: Appointment = appointment_for_user(request.user, pk)
    try:
        services.end_appointment(appointment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appointment has ended today."))
    return redirect("ambassadors:appointment-detail", appointment.pk)
