"""A person's own training records ("Min utbildning"), certification of their attended time,
completion of distance courses, certificates, and a manager's view of their staff (issue 5,
"Hours ledger" and "Attendance"). Every figure comes from the ledger through records.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.accounts.access import (
    coordinated_municipality_ids,
    has_role,
    is_programme_admin,
    log_access,
    units_visible_to,
)
from modig.accounts.models import AccessLogEntry, Role
from modig.organisation.models import Employment, Person, Programme, Unit
from modig.training import access, certificates, records, services
from modig.training.attendance_forms import (
    CertifyForm,
    CompletionForm,
    StaffCompletionForm,
    StaffFilterForm,
)
from modig.training.models import Course, DistanceCompletion, Session


def _own_person(user) -> Person | None:
    return Person.objects.filter(pk=user.person_id).first() if user.person_id else None


def my_training(request):
    """The signed-in person's learning history: sessions, distance courses, hours,
    certification of their time and certificates."""
    user = request.user
    person = _own_person(user)
    context = {"person": person, "can_view_staff": access.can_view_staff_training(user),
               "takes_attendance": is_programme_admin(user) or bool(
                   coordinated_municipality_ids(user)) or has_role(user, Role.TRAINER)
               or Session.objects.filter(trainer=user).exists()}
    if person is not None:
        context["records"] = records.person_records(person)
    return render(request, "training/records/my_training.html", context)


@require_POST
def session_certify(request, pk: int):
    """The person confirms the attended time they were shown for one session."""
    person = _own_person(request.user)
    if person is None:
        raise PermissionDenied
    session = get_object_or_404(
        Session.objects.filter(pk__in=Session.objects.filter(
            meetings__attendances__person=person).values("pk")), pk=pk)
    form = CertifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Something went wrong. Open the page again and confirm."))
    else:
        try:
            services.confirm_attended_time(person, session,
                                           minutes_shown=form.cleaned_data["minutes"],
                                           by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Your time for “%(course)s” is confirmed.")
                             % {"course": session.course.title})
    return redirect(reverse("training:my-training") + f"#session-{session.pk}")


def course_completion(request, code: str):
    """A self-paced or blended course: the person says they have completed it."""
    course = access.course_for_user(request.user, code)
    if not course.is_distance:
        raise Http404
    person = _own_person(request.user)
    if person is None:
        raise PermissionDenied
    completion = DistanceCompletion.objects.filter(course=course, person=person).first()
    form = CompletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and completion is None and form.is_valid():
        try:
            services.complete_distance_course(
                course, person, completed_on=form.cleaned_data["completed_on"],
                by=request.user, confirmed_as=DistanceCompletion.ConfirmedAs.SELF)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Well done! “%(course)s” is now in your training "
                                        "history.") % {"course": course.title})
            return redirect("training:course-completion", code=course.code)
    return render(request, "training/records/course_completion.html", {
        "course": course, "completion": completion, "form": form,
    })


def certificate(request, code: str):
    """The person's PDF certificate for a completed course."""
    person = _own_person(request.user)
    if person is None:
        raise Http404
    course = get_object_or_404(Course.objects.select_related("programme"), code=code)
    found = records.certificate_for(person, course)
    if found is None:
        raise Http404
    pdf = certificates.certificate_pdf(found, issued_on=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-{course.code}.pdf"'
    return response


# A manager's view of their staff --------------------------------------------------------------

def _programme(request) -> Programme | None:
    programmes = Programme.objects.order_by("pk")
    chosen = request.GET.get("program", "")
    return (programmes.filter(pk=chosen).first() if chosen.isdigit() else None) or \
        programmes.first()


def staff_training(request):
    """Who of the user's staff is signed up, who has attended, and their hours (from the
    ledger); filtered by unit and name."""
    user = request.user
    if not access.can_view_staff_training(user):
        raise PermissionDenied
    units = access.managed_units_for_enrolment(user).order_by("name", "pk")
    form = StaffFilterForm(request.GET or None, units=units)
    people = access.staff_for_training_records(user)
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        if unit is not None:
            people = people.filter(pk__in=Employment.objects.active().filter(
                units__in=Unit.objects.in_subtree_of([unit]).values("pk"))
                .values("person_id"))
        for word in form.cleaned_data["q"].split():
            people = people.filter(Q(first_name__icontains=word)
                                   | Q(last_name__icontains=word))
    # Only the units the user may see: Dana's Tjörn unit is not shown to an Ale manager.
    visible_units = Prefetch("units", queryset=units_visible_to(user).order_by("name"))
    people = people.order_by("last_name", "first_name", "pk").prefetch_related(Prefetch(
        "employments", queryset=Employment.objects.active().prefetch_related(visible_units),
        to_attr="active_employments"))
    page = Paginator(people, 50).get_page(request.GET.get("sida"))
    programme = _programme(request)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "training/records/staff_training.html", {
        "form": form, "page": page, "programme": programme,
        "programmes": Programme.objects.order_by("pk"),
        "rows": records.staff_rows(list(page.object_list), programme),
        "extra_query": (query.urlencode() + "&") if query else "",
    })


def staff_person_training(request, pk: int):
    """One staff member's training history; their manager confirms a completed distance
    course for them here."""
    user = request.user
    person = access.staff_member_for_user(user, pk)
    courses = Course.objects.visible_to(user).filter(
        format__in=Course.DISTANCE_FORMATS).exclude(
        pk__in=DistanceCompletion.objects.filter(person=person).values("course_id"))
    form = StaffCompletionForm(request.POST if request.method == "POST" else None,
                               courses=courses)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        try:
            services.complete_distance_course(
                course, person, completed_on=form.cleaned_data["completed_on"], by=user,
                confirmed_as=DistanceCompletion.ConfirmedAs.MANAGER)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(course)s” is recorded as completed by %(name)s.")
                             % {"course": course.title, "name": person.full_name})
            return redirect("training:staff-person-training", pk=person.pk)
    if request.method == "GET":
        log_access(request, AccessLogEntry.Action.VIEW_PERSON, person=person,
                   detail="training records")
    return render(request, "training/records/staff_person.html", {
        "person": person, "records": records.person_records(person), "form": form,
        "has_courses": courses.exists(),
    })
