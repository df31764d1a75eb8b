"""Catalogue, session and enrolment pages, and the calendar files.

Each view: scoped getter (training/access.py) → form → service → redirect (Post/Redirect/Get).
Outside one's scope is a 404, inside it without the right a 403. The calendar feed is the one
page without log-in: its address carries a secret token (training/calendar.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from modig.accounts.access import coordinated_municipality_ids, has_role, is_programme_admin
from modig.accounts.models import Role
from modig.organisation.models import Municipality, Person
from modig.training import access, calendar, grouping, services
from modig.training.forms import (
    CatalogueFilterForm,
    CourseForm,
    EnrolUnitForm,
    MeetingFormSet,
    PersonSearchForm,
    SessionForm,
)
from modig.training.models import Course, Enrolment, Meeting, Session

PAGE_SIZE = 20


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields (or on the form when no field matches)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# Catalogue ------------------------------------------------------------------------------------

def course_list(request):
    """The catalogue: search and filters, each course with its next meeting."""
    user = request.user
    municipalities = Municipality.objects.filter(
        programmes__isnull=False).distinct().order_by("name")
    form = CatalogueFilterForm(request.GET or None, municipalities=municipalities)
    courses = Course.objects.visible_to(user).select_related("municipality")
    if form.is_valid():
        data = form.cleaned_data
        courses = (courses.search(data["q"]).with_format(data["format"])
                   .for_target_group(data["malgrupp"]).for_competence(data["kompetens"])
                   .for_municipality(data["kommun"]))
    next_meeting = (Meeting.objects.filter(
        session__course=OuterRef("pk"), session__status=Session.Status.PLANNED,
        session__in=Session.objects.visible_to(user), date__gte=timezone.localdate())
        .order_by("date", "starts_at").values("date")[:1])
    courses = courses.annotate(next_date=Subquery(next_meeting)).order_by("title", "pk")
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    query.pop("q", None)
    return render(request, "training/catalogue/course_list.html", {
        "form": form, "page": page, "courses": page.object_list,
        "q": request.GET.get("q", ""), "extra_query": query.urlencode() + "&" if query else "",
        "can_create": access.can_create_course(user),
    })


def _my_enrolments(user, sessions) -> dict[int, Enrolment]:
    if not user.person_id:
        return {}
    return {e.session_id: e for e in Enrolment.objects.active().filter(
        person_id=user.person_id, session__in=[s.pk for s in sessions])}


def course_detail(request, code):
    """A course as a care worker reads it on a phone, with its sessions and free places."""
    user = request.user
    course = access.course_for_user(user, code)
    today = timezone.localdate()
    sessions = list(
        Session.objects.visible_to(user).filter(course=course).with_counts()
        .annotate(first_date=Min("meetings__date"), last_date=Max("meetings__date"))
        .select_related("municipality").prefetch_related("meetings").order_by("first_date",
                                                                             "pk"))
    can_edit = access.can_edit_course(user, course)
    if not can_edit:
        sessions = [s for s in sessions if s.last_date is None or s.last_date >= today]
    mine = _my_enrolments(user, sessions)
    for session in sessions:
        session.free_places = max(session.capacity - session.enrolled_count, 0)
        session.my_enrolment = mine.get(session.pk)
        session.is_past = session.last_date is not None and session.last_date < today
    return render(request, "training/catalogue/course_detail.html", {
        "course": course, "sessions": sessions, "can_edit": can_edit,
        "can_add_session": access.can_create_session(user, course),
        "can_form_groups": grouping.can_form_groups(user),
        "competences": course.competences.select_related("area"),
        "target_groups": course.target_groups.all(),
        "has_person": bool(user.person_id),
    })


def course_form(request, code=None):
    """Create a course (no code) or change one."""
    user = request.user
    course = access.course_for_user(user, code, write=True) if code else None
    if course is None and not access.can_create_course(user):
        raise PermissionDenied
    initial = {}
    if course is not None:
        initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
        initial.update(programme=course.programme_id,
                       competences=list(course.competences.all()),
                       target_groups=list(course.target_groups.all()))
    form = CourseForm(request.POST or None, initial=initial, user=user, course=course)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programme = data.pop("programme")
        try:
            if course is None:
                saved = services.create_course(programme, by=user, **data)
            else:
                saved = services.update_course(course, by=user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("training:course-detail", code=saved.code)
    return render(request, "training/catalogue/course_form.html",
                  {"form": form, "course": course})


# Sessions -------------------------------------------------------------------------------------

def _meeting_data(formset) -> list[services.MeetingData]:
    return [services.MeetingData(f.cleaned_data["date"], f.cleaned_data["starts_at"],
                                 f.cleaned_data["ends_at"], pk=f.cleaned_data.get("id"))
            for f in formset.forms
            if not f.is_blank and not f.cleaned_data.get("delete")]


def session_form(request, code=None, pk=None):
    """Create a session of a course (code) or change a session (pk), with its meetings."""
    user = request.user
    if pk is not None:
        session = access.session_for_user(user, pk, write=True)
        course = session.course
    else:
        session = None
        course = access.course_for_user(user, code)
        if not access.can_create_session(user, course):
            raise PermissionDenied
    initial, meeting_initial = {}, []
    if session is not None:
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
        meeting_initial = [{"id": m.pk, "date": m.date, "starts_at": m.starts_at,
                            "ends_at": m.ends_at} for m in session.meetings.all()]
    elif course.municipality_id:
        initial["municipality"] = course.municipality_id
    form = SessionForm(request.POST or None, initial=initial, user=user, course=course)
    formset = MeetingFormSet(request.POST or None, initial=meeting_initial, prefix="traff")
    if request.method == "GET":
        # Rows to fill in: two empty rows after the existing meetings, work without JS.
        formset = MeetingFormSet(initial=[*meeting_initial, {}, {}], prefix="traff")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        meetings = _meeting_data(formset)
        try:
            if session is None:
                saved = services.create_session(course, by=user, meetings=meetings, **data)
            else:
                saved = services.update_session(session, by=user, meetings=meetings, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session-detail", pk=saved.pk)
    return render(request, "training/sessions/session_form.html", {
        "form": form, "formset": formset, "course": course, "session": session,
    })


def _participants(user, session):
    """Enrolled and waiting people the user may see, and which of them they may cancel."""
    if not access.can_view_participants(user, session):
        return None, None, set()
    visible = list(access.participants_visible_to(user, session).order_by(
        "status", "created_at", "pk"))
    cancellable = set(access.enrollable_people(user).filter(
        pk__in=[e.person_id for e in visible]).values_list("pk", flat=True))
    enrolled = [e for e in visible if e.status == Enrolment.Status.ENROLLED]
    waiting = [e for e in visible if e.status == Enrolment.Status.WAITING]
    return enrolled, waiting, cancellable


def session_detail(request, pk):
    """A session: meetings, place, free places, the user's own place; participants for those
    who may see them (scoped)."""
    user = request.user
    session = access.session_for_user(user, pk)
    counted = Session.objects.with_counts().get(pk=session.pk)
    my_enrolment = _my_enrolments(user, [session]).get(session.pk)
    enrolled, waiting, cancellable = _participants(user, session)
    return render(request, "training/sessions/session_detail.html", {
        "session": session, "course": session.course,
        "meetings": session.meetings.all(),
        "free_places": max(session.capacity - counted.enrolled_count, 0),
        "enrolled_count": counted.enrolled_count, "waiting_count": counted.waiting_count,
        "my_enrolment": my_enrolment, "has_person": bool(user.person_id),
        "enrolled": enrolled, "waiting": waiting, "cancellable": cancellable,
        "can_edit": access.can_edit_session(user, session),
        "can_take_attendance": access.can_take_attendance(user, session),
        "can_enrol_unit": access.managed_units_for_enrolment(user).exists(),
        "can_enrol_person": _may_enrol_anyone(user),
    })


@require_POST
def session_cancel(request, pk):
    """Cancel a session; everyone with a place or in line is told."""
    session = access.session_for_user(request.user, pk, write=True)
    try:
        services.cancel_session(session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is cancelled. The participants get a "
                                    "message."))
    return redirect("training:session-detail", pk=session.pk)


def session_ics(request, pk):
    """The session's meetings as an iCalendar file to open in a calendar app."""
    session = access.session_for_user(request.user, pk)
    body = calendar.render(calendar.session_meetings(session), name=session.course.title,
                           url_for=lambda s: request.build_absolute_uri(
                               reverse("training:session-detail", args=[s.pk])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tillfalle-{session.pk}.ics"'
    return response


# Enrolment ------------------------------------------------------------------------------------

@require_POST
def session_enrol_self(request, pk):
    """A staff member signs themselves up."""
    user = request.user
    session = access.session_for_user(user, pk)
    if not user.person_id:
        raise PermissionDenied
    try:
        enrolment = services.enrol(session, user.person, by=user,
                                   source=Enrolment.Source.SELF)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrolment.status == Enrolment.Status.ENROLLED:
            messages.success(request, _("You have a place. You get a confirmation."))
        else:
            messages.success(request, _("The session is full. You are on the waiting list "
                                        "and get a message if you get a place."))
    return redirect("training:session-detail", pk=session.pk)


@require_POST
def enrolment_cancel(request, pk):
    """Cancel a place: one's own, or (managers, coordinators) of someone they may enrol."""
    user = request.user
    enrolment = get_object_or_404(Enrolment.objects.active().select_related("person"), pk=pk)
    access.session_for_user(user, enrolment.session_id)
    if access.enrolment_source(user, enrolment.person) is None:
        raise Http404
    services.cancel_enrolment(enrolment, by=user)
    if enrolment.person_id == user.person_id:
        messages.success(request, _("Your place is cancelled."))
    else:
        messages.success(request, _("The place of %(name)s is cancelled.")
                         % {"name": enrolment.person.full_name})
    return redirect("training:session-detail", pk=enrolment.session_id)


def _source_for(user) -> str:
    if is_programme_admin(user) or coordinated_municipality_ids(user):
        return Enrolment.Source.COORDINATOR
    return Enrolment.Source.MANAGER


def session_enrol_unit(request, pk):
    """A manager (or coordinator) signs up a unit's staff, or the chosen people of it."""
    user = request.user
    session = access.session_for_user(user, pk)
    units = access.managed_units_for_enrolment(user).select_related("municipality")
    if not units.exists():
        raise PermissionDenied
    if session.municipality_id:
        units = units.filter(municipality_id=session.municipality_id)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = EnrolUnitForm(data, units=units.order_by("municipality__name", "path"))
    people, chosen = [], None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        people = list(services.unit_people(unit).order_by("last_name", "first_name"))
        if request.method == "POST":
            chosen = [p for p in people if str(p.pk) in request.POST.getlist("person")]
            if not chosen:
                form.add_error(None, _("Choose at least one person."))
            else:
                result = services.enrol_unit(session, unit, by=user, people=chosen,
                                             source=_source_for(user))
                _report(request, result)
                return redirect("training:session-detail", pk=session.pk)
    return render(request, "training/enrolment/enrol_unit.html", {
        "session": session, "course": session.course, "form": form, "people": people,
        "chosen": {p.pk for p in chosen} if chosen is not None else {p.pk for p in people},
    })


def _report(request, result: services.UnitEnrolmentResult) -> None:
    """The result of a unit enrolment as messages: places, waiting list, refusals with why."""
    if result.enrolled:
        messages.success(request, ngettext("%(n)s person got a place.",
                                           "%(n)s people got a place.",
                                           len(result.enrolled)) % {"n": len(result.enrolled)})
    if result.waiting:
        messages.warning(request, ngettext(
            "%(n)s person is on the waiting list: %(names)s.",
            "%(n)s people are on the waiting list: %(names)s.", len(result.waiting))
            % {"n": len(result.waiting),
               "names": ", ".join(e.person.full_name for e in result.waiting)})
    for person, reason in result.refused:
        messages.error(request, _("Not enrolled: %(reason)s") % {"reason": reason}
                       if person.full_name in reason else
                       _("%(name)s was not enrolled: %(reason)s")
                       % {"name": person.full_name, "reason": reason})


def _may_enrol_anyone(user) -> bool:
    """Enrolling any one person: the programme office and coordinators."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user))


def session_enrol_person(request, pk):
    """A coordinator finds a person in their municipality and signs them up."""
    user = request.user
    session = access.session_for_user(user, pk)
    if not _may_enrol_anyone(user):
        raise PermissionDenied
    if request.method == "POST":
        person = get_object_or_404(access.enrollable_people(user),
                                   pk=request.POST.get("person") or 0)
        try:
            enrolment = services.enrol(session, person, by=user,
                                       source=access.enrolment_source(user, person))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if enrolment.status == Enrolment.Status.ENROLLED:
                messages.success(request, _("%(name)s has a place.")
                                 % {"name": person.full_name})
            else:
                messages.warning(request, _("The session is full: %(name)s is on the waiting "
                                            "list.") % {"name": person.full_name})
        return redirect("training:session-detail", pk=session.pk)
    form = PersonSearchForm(request.GET or None)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        found = _search_people(access.enrollable_people(user), form.cleaned_data["q"])
    return render(request, "training/enrolment/enrol_person.html", {
        "session": session, "course": session.course, "form": form, "found": found,
        "searched": bool(form.is_valid() and form.cleaned_data["q"]),
    })


def _search_people(people, text: str, limit: int = 30) -> list[Person]:
    for word in text.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word)
                               | Q(employments__employee_id__iexact=word))
    return list(people.distinct().order_by("last_name", "first_name", "pk")[:limit])


# Calendar feeds -------------------------------------------------------------------------------

def _is_trainer(user) -> bool:
    return has_role(user, Role.TRAINER) or Session.objects.filter(trainer=user).exists()


def _feed_url(request, feed) -> str:
    return request.build_absolute_uri(reverse("training:calendar-feed", kwargs={
        "token": calendar.feed_token(feed.salt)}))


@never_cache
def calendar_page(request):
    """The user's secret calendar addresses: their own sessions, and the ones they teach."""
    user = request.user
    if not user.person_id and not _is_trainer(user):
        raise PermissionDenied
    feeds = []
    if user.person_id:
        feeds.append(("person", _("My training"),
                      _feed_url(request, calendar.feed_for(person=user.person))))
    if _is_trainer(user):
        feeds.append(("trainer", _("Sessions I teach"),
                      _feed_url(request, calendar.feed_for(trainer=user))))
    return render(request, "training/enrolment/calendar.html", {"feeds": feeds})


@require_POST
def calendar_renew(request):
    """A new secret address; the old one stops working (e.g. after sharing it by mistake)."""
    user = request.user
    kind = request.POST.get("kind")
    if kind == "person" and user.person_id:
        calendar.feed_for(person=user.person, renew=True)
    elif kind == "trainer" and _is_trainer(user):
        calendar.feed_for(trainer=user, renew=True)
    else:
        raise PermissionDenied
    messages.success(request, _("The calendar has a new address. The old address no longer "
                                "works."))
    return redirect("training:calendar")


@login_not_required
@never_cache
def calendar_feed(request, token):
    """A subscribed calendar: the secret in the address is the only key."""
    feed = calendar.find_feed(token)
    if feed is None:
        raise Http404
    name = _("Training – Modig")
    body = calendar.render(calendar.feed_meetings(feed), name=name,
                           url_for=lambda s: request.build_absolute_uri(
                               reverse("training:session-detail", args=[s.pk])))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
