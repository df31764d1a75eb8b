"""Roll call and check-in pages (issue 5, "Attendance").

Roll call: the session's trainer, the coordinator of its municipality or the programme office
opens a meeting's list on a phone, changes the rows that are not "present" and saves them all
at once; open from the meeting's day until `services.ROLL_CALL_DAYS_AFTER` days after.

Check-in: the trainer shows a QR code (and a short code) for the meeting; participants scan it
on their own phones, sign in if they are not, and tap "I am here". Check-in needs an account
linked to the person's staff record: anyone without one is marked by the trainer in the roll
call (the survey's personal codes are per survey round, not per person, so they cannot stand
in for an account). The code never reaches a log or a later URL (see check_in.py).
"""

import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from modig.accounts.access import coordinated_municipality_ids, is_programme_admin
from modig.organisation.models import Person
from modig.training import access, check_in, services
from modig.training.attendance_forms import CheckInCodeForm, RollCallForm, WalkInSearchForm
from modig.training.models import Attendance, Enrolment, Meeting, Session

CHECK_IN_SESSION_KEY = "modig_training_check_in"


# Roll call ------------------------------------------------------------------------------------

def roll_call_list(request):
    """Meetings whose roll call the user can take today: today's first, then the last 14
    days' (still open for corrections)."""
    user = request.user
    today = timezone.localdate()
    sessions = Session.objects.visible_to(user).planned()
    if not is_programme_admin(user):
        sessions = sessions.filter(Q(trainer=user) | Q(
            municipality_id__in=coordinated_municipality_ids(user)))
    meetings = (Meeting.objects.filter(
        session__in=sessions.values("pk"),
        date__range=(today - datetime.timedelta(days=services.ROLL_CALL_DAYS_AFTER), today))
        .select_related("session__course").order_by("-date", "starts_at", "pk")[:100])
    return render(request, "training/attendance/roll_call_list.html", {
        "today": [m for m in meetings if m.date == today],
        "earlier": [m for m in meetings if m.date != today],
        "days": services.ROLL_CALL_DAYS_AFTER,
    })


def _roll_call_page(request, meeting, form, *, search=None, found=None):
    session = meeting.session
    counts = dict(meeting.attendances.order_by().values("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    refusal = services.roll_call_refusal(session, meeting)
    return render(request, "training/attendance/roll_call.html", {
        "meeting": meeting, "session": session, "course": session.course, "form": form,
        "refusal": refusal.messages[0] if refusal else "",
        "closes_on": services.roll_call_closes_on(meeting),
        "counts": {label: counts.get(value, 0) for value, label in Attendance.Status.choices},
        "other_meetings": session.meetings.exclude(pk=meeting.pk),
        "search": search or WalkInSearchForm(), "found": found,
    })


def _roll_call_form(meeting, data=None) -> RollCallForm:
    enrolments = list(meeting.session.enrolments.active().select_related("person")
                      .order_by("person__last_name", "person__first_name", "person__pk"))
    recorded = {a.person_id: a for a in meeting.attendances.all()}
    return RollCallForm(data, enrolments=enrolments, recorded=recorded)


def meeting_roll_call(request, pk: int, meeting_pk: int):
    """The meeting's list: everyone starts as present; change the others and save once."""
    meeting = access.meeting_for_attendance(request.user, pk, meeting_pk)
    form = _roll_call_form(meeting, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_roll_call(meeting, form.roll_call_rows(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _(
                "The roll call is saved: %(created)s new, %(updated)s changed, %(unchanged)s "
                "as before.") % {"created": result.created, "updated": result.updated,
                                 "unchanged": result.unchanged})
            return redirect("training:meeting-roll-call", pk=pk, meeting_pk=meeting_pk)
    search = WalkInSearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data["q"]:
        enrolled = meeting.session.enrolments.active().values("person_id")
        found = [p for p in access.walk_in_candidates(request.user, meeting.session,
                                                      search.cleaned_data["q"])
                 if p.pk not in {row["person_id"] for row in enrolled}]
    return _roll_call_page(request, meeting, form, search=search, found=found)


@require_POST
def meeting_walk_in(request, pk: int, meeting_pk: int):
    """Add someone who came without signing up, as present (found by the search above)."""
    meeting = access.meeting_for_attendance(request.user, pk, meeting_pk)
    query = request.POST.get("q", "")
    try:
        person_pk = int(request.POST.get("person", ""))
    except ValueError:
        person_pk = None
    person = next((p for p in access.walk_in_candidates(request.user, meeting.session, query)
                   if p.pk == person_pk), None)
    if person is None:
        messages.error(request, _("Search for the person again and choose them in the list."))
    else:
        try:
            services.add_walk_in(meeting, person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is added to the list as present.")
                             % {"name": person.full_name})
    return redirect("training:meeting-roll-call", pk=pk, meeting_pk=meeting_pk)


# Check-in: the trainer's screen ---------------------------------------------------------------

@never_cache
def meeting_check_in_code(request, pk: int, meeting_pk: int):
    """The QR code and short code participants check in with, for the trainer to show."""
    meeting = access.meeting_for_attendance(request.user, pk, meeting_pk)
    code = check_in.check_in_code(meeting)
    url = request.build_absolute_uri(reverse("training:check-in-link", kwargs={"code": code}))
    qr_svg = segno.make(url, error="m").svg_inline(
        scale=8, dark="#000", light="#fff", omitsize=False,
        title=_("QR code for checking in to this meeting"))
    return render(request, "training/attendance/check_in_code.html", {
        "meeting": meeting, "session": meeting.session, "course": meeting.session.course,
        "qr_svg": qr_svg, "code": check_in.display_code(code),
        "address": request.build_absolute_uri(reverse("training:check-in")).split("://")[-1],
        "opens_at": services.check_in_opens_at(meeting), "is_open":
            services.check_in_is_open(meeting) and not meeting.session.is_cancelled,
        "checked_in": meeting.attendances.filter(source=Attendance.Source.CHECK_IN).count(),
    })


# Check-in: the participant's phone ------------------------------------------------------------

def _redact_path(request) -> None:
    """Keep the code out of anything that logs this request later (Django's request log on an
    error reads request.path and these environ keys)."""
    safe = reverse("training:check-in")
    request.path = request.path_info = safe
    for key in ("PATH_INFO", "RAW_URI", "REQUEST_URI"):
        if key in request.META:
            request.META[key] = safe


def _unknown_code_message() -> str:
    return _("We found no meeting with that code. Check the code on the trainer's screen and "
             "try again. A code works only during its own meeting.")


@login_not_required
@never_cache
@require_GET
def check_in_link(request, code: str):
    """The QR code's link: remember the meeting (not the code) and go on to the check-in page
    (signing in first if needed); a code for no meeting, or for a meeting that is not going on
    now, is explained here and nothing is remembered."""
    _redact_path(request)
    request.session.pop(CHECK_IN_SESSION_KEY, None)
    meeting = check_in.find_meeting(code)
    if meeting is None:
        return render(request, "training/attendance/check_in_problem.html",
                      {"problem": _unknown_code_message()}, status=404)
    refusal = services.check_in_refusal(meeting.session, meeting)
    if refusal is not None:
        return render(request, "training/attendance/check_in_problem.html",
                      {"problem": refusal.messages[0]})
    request.session[CHECK_IN_SESSION_KEY] = meeting.pk
    return redirect("training:check-in")


def _pending_meeting(request) -> Meeting | None:
    pk = request.session.get(CHECK_IN_SESSION_KEY)
    if pk is None:
        return None
    return Meeting.objects.filter(pk=pk).select_related("session__course").first()


def _do_check_in(request, meeting: Meeting, person: Person | None) -> bool:
    """Check the user's person in; messages say what happened. True when it is settled."""
    if person is None:
        messages.error(request, _("Your account is not linked to the staff list, so you "
                                  "cannot check in yourself. Ask the trainer to mark you "
                                  "present."))
        return False
    try:
        attendance, created = services.check_in(meeting, person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    course = meeting.session.course.title
    if created:
        messages.success(request, _("You are checked in to “%(course)s”. Welcome!")
                         % {"course": course})
    elif attendance.status == Attendance.Status.PRESENT:
        messages.success(request, _("You are already checked in to “%(course)s”.")
                         % {"course": course})
    else:
        messages.warning(request, _(
            "The trainer has already recorded you as “%(status)s” for this meeting. Talk to "
            "the trainer if that is wrong.") % {"status": attendance.get_status_display()})
    return True


@never_cache
def check_in_page(request):
    """Check in to the meeting whose QR code was scanned (one tap), or type a code."""
    pending = _pending_meeting(request)
    person = Person.objects.filter(pk=request.user.person_id).first() \
        if request.user.person_id else None
    form = CheckInCodeForm()
    if request.method == "POST":
        if request.POST.get("meeting"):
            if pending is None or str(pending.pk) != request.POST["meeting"]:
                messages.error(request, _("Scan the QR code again, or type the code."))
            elif _do_check_in(request, pending, person):
                request.session.pop(CHECK_IN_SESSION_KEY, None)
            return redirect("training:check-in")
        form = CheckInCodeForm(request.POST)
        if form.is_valid():
            meeting = check_in.find_meeting(form.cleaned_data["code"])
            if meeting is None:
                form.add_error("code", _unknown_code_message())
            else:
                _do_check_in(request, meeting, person)
                request.session.pop(CHECK_IN_SESSION_KEY, None)
                return redirect("training:check-in")
    refusal = None
    if pending is not None:
        refusal = services.check_in_refusal(pending.session, pending)
        if refusal is not None:
            request.session.pop(CHECK_IN_SESSION_KEY, None)
    enrolled = pending is not None and person is not None and Enrolment.objects.active().filter(
        session=pending.session_id, person=person).exists()
    return render(request, "training/attendance/check_in.html", {
        "pending": pending if refusal is None else None,
        "refusal": refusal.messages[0] if refusal else "",
        "person": person, "enrolled": enrolled, "form": form,
    })
