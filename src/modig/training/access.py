"""Who may see and change courses, sessions, enrolments and attendance.

Built on accounts/access.py (DESIGN.md, "Who uses it"):
- programme administrator: every course and session; edits all of them;
- coordinator: programme-wide courses and their municipality's local courses (also unpublished
  ones, which they edit); sessions for their municipality (created and edited by them) and
  programme-wide sessions; enrols anyone employed in their municipality;
- unit manager: the catalogue as their staff see it; enrols the people of their units (and the
  units below);
- ambassador, staff member: the published catalogue for the programme and their
  municipalities; staff enrol themselves;
- trainer: the published catalogue and the sessions they run, with participants and roll call.
"Their municipalities" are those the user coordinates, those of the units they manage or cover,
and those where their own person has an active employment.

A course or session outside one's scope is a 404; inside it but without the right to change it
a 403. Participant lists are scoped: the trainer, the programme office and the coordinator of
the session's municipality see everyone; others see only the people they may see anyway.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from modig.accounts.access import (
    _assigned_units,
    coordinated_municipality_ids,
    is_programme_admin,
    people_visible_to,
)
from modig.accounts.models import Role
from modig.organisation.models import Employment, Person, Unit


def own_municipality_ids(user) -> set[int]:
    """Municipalities the user works in or looks after (see the module docstring)."""
    if not user.is_authenticated:
        return set()
    ids = set(coordinated_municipality_ids(user))
    ids |= {u.municipality_id for u in _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR)}
    if user.person_id:
        ids |= set(Employment.objects.active().filter(person_id=user.person_id)
                   .values_list("municipality_id", flat=True))
    return ids


def course_condition(user) -> Q:
    """The filter behind `Course.objects.visible_to(user)`."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_programme_admin(user):
        return Q()
    condition = Q(is_published=True) & (
        Q(municipality__isnull=True) | Q(municipality_id__in=own_municipality_ids(user)))
    condition |= Q(municipality_id__in=coordinated_municipality_ids(user))
    condition |= Q(sessions__trainer=user)
    from modig.training.models import Course

    return Q(pk__in=Course.objects.filter(condition).values("pk"))


def session_condition(user) -> Q:
    """The filter behind `Session.objects.visible_to(user)`."""
    from modig.training.models import Course

    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_programme_admin(user):
        return Q()
    places = Q(municipality__isnull=True) | Q(municipality_id__in=own_municipality_ids(user))
    return (Q(course__in=Course.objects.visible_to(user).values("pk")) & places) | Q(trainer=user)


def can_create_course(user) -> bool:
    """The programme office creates courses; coordinators create their municipality's."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user))


def can_edit_course(user, course) -> bool:
    """The programme office edits every course; a coordinator their municipality's local ones."""
    return is_programme_admin(user) or (
        course.municipality_id is not None
        and course.municipality_id in coordinated_municipality_ids(user))


def can_create_session(user, course) -> bool:
    """Sessions of a course: the programme office, and coordinators (for their municipality)."""
    if is_programme_admin(user):
        return True
    coordinated = coordinated_municipality_ids(user)
    return bool(coordinated) and (course.municipality_id is None
                                  or course.municipality_id in coordinated)


def can_edit_session(user, session) -> bool:
    """The programme office; a coordinator for sessions in their municipality."""
    return is_programme_admin(user) or (
        session.municipality_id is not None
        and session.municipality_id in coordinated_municipality_ids(user))


def sees_all_participants(user, session) -> bool:
    """The trainer, the programme office and the session's coordinator see the whole list."""
    return (is_programme_admin(user) or (session.trainer_id is not None
                                         and session.trainer_id == user.pk)
            or can_edit_session(user, session))


def can_view_participants(user, session) -> bool:
    """The participants section is for those who see all, unit managers and coordinators."""
    return (sees_all_participants(user, session) or bool(coordinated_municipality_ids(user))
            or bool(_assigned_units(user, Role.UNIT_MANAGER)))


def participants_visible_to(user, session) -> QuerySet:
    """The session's enrolments (enrolled and waiting) the user may see."""
    enrolments = session.enrolments.active().select_related("person")
    if sees_all_participants(user, session):
        return enrolments
    if not can_view_participants(user, session):
        return enrolments.none()
    return enrolments.filter(person__in=people_visible_to(user).values("pk"))


def can_take_attendance(user, session) -> bool:
    """Roll call and attendance: the session's trainer, its coordinator, the programme office."""
    return sees_all_participants(user, session)


def enrollable_people(user) -> QuerySet[Person]:
    """People the user may sign up: themselves, their units' staff (unit managers), their
    municipality's staff (coordinators), everyone (programme office)."""
    if not user.is_authenticated:
        return Person.objects.none()
    if is_programme_admin(user):
        return Person.objects.all()
    condition = Q(pk__in=[])
    coordinated = coordinated_municipality_ids(user)
    if coordinated:
        condition |= Q(employments__municipality_id__in=coordinated)
    managed = _assigned_units(user, Role.UNIT_MANAGER)
    if managed:
        condition |= Q(employments__units__in=Unit.objects.in_subtree_of(managed).values("pk"))
    if user.person_id:
        condition |= Q(pk=user.person_id)
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk"))


def enrolment_source(user, person) -> str | None:
    """How the user would sign the person up (an `Enrolment.Source`), or None if they may not."""
    from modig.training.models import Enrolment

    if not user.is_authenticated:
        return None
    if user.person_id == person.pk:
        return Enrolment.Source.SELF
    if is_programme_admin(user) or person.employments.filter(
            municipality_id__in=coordinated_municipality_ids(user)).exists():
        return Enrolment.Source.COORDINATOR
    managed = _assigned_units(user, Role.UNIT_MANAGER)
    if managed and person.employments.filter(
            units__in=Unit.objects.in_subtree_of(managed).values("pk")).exists():
        return Enrolment.Source.MANAGER
    return None


def managed_units_for_enrolment(user) -> QuerySet[Unit]:
    """Units whose staff the user may enrol at once (managers' units, coordinators' units)."""
    if is_programme_admin(user):
        return Unit.objects.all()
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    for unit in _assigned_units(user, Role.UNIT_MANAGER):
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(condition)


def course_for_user(user, code: str, *, write: bool = False):
    """A course by code: 404 outside scope, 403 on a write without the right."""
    from modig.training.models import Course

    course = Course.objects.visible_to(user).filter(code=code).select_related(
        "programme", "municipality").first()
    if course is None:
        raise Http404
    if write and not can_edit_course(user, course):
        raise PermissionDenied
    return course


def session_for_user(user, pk: int, *, write: bool = False):
    """A session by id: 404 outside scope, 403 on a write without the right."""
    from modig.training.models import Session

    session = Session.objects.visible_to(user).filter(pk=pk).select_related(
        "course", "municipality", "trainer").first()
    if session is None:
        raise Http404
    if write and not can_edit_session(user, session):
        raise PermissionDenied
    return session


# Attendance pages and training records ---------------------------------------------------------

def meeting_for_attendance(user, session_pk: int, meeting_pk: int):
    """A meeting to take roll call on or show the check-in code for: 404 outside the user's
    scope, 403 for those who do not take attendance on the session."""
    session = session_for_user(user, session_pk)
    meeting = session.meetings.filter(pk=meeting_pk).first()
    if meeting is None:
        raise Http404
    if not can_take_attendance(user, session):
        raise PermissionDenied
    meeting.session = session
    return meeting


def _session_staff(session) -> QuerySet[Person]:
    """People who could sign up for the session: an active employment in its municipality (in
    one of the programme's for a programme-wide session)."""
    if session.municipality_id:
        municipalities = [session.municipality_id]
    else:
        municipalities = session.course.programme.municipalities.values("pk")
    return Person.objects.filter(pk__in=Employment.objects.active().filter(
        municipality_id__in=municipalities).values("person_id"))


def walk_in_candidates(user, session, text: str, *, limit: int = 20) -> list[Person]:
    """People the user may add to a meeting's roll call who match the text, among those who
    could sign up for the session. Within the user's own roster scope (coordinators, the
    programme office) any part of a name, an e-mail or an employee id finds them; anyone else
    (a trainer sees no roster) must give the whole first and last name, the e-mail or the
    employee id, so the list cannot be browsed."""
    words = (text or "").split()
    if not words:
        return []
    staff = _session_staff(session)
    browse = staff.filter(pk__in=people_visible_to(user).values("pk"))
    for word in words:
        browse = browse.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word)
                               | Q(employments__employee_id__iexact=word))
    exact = Q(email__iexact=text.strip()) | Q(employments__employee_id__iexact=text.strip())
    for split in range(1, len(words)):
        exact |= Q(first_name__iexact=" ".join(words[:split]),
                   last_name__iexact=" ".join(words[split:]))
    found = Person.objects.filter(Q(pk__in=browse.values("pk"))
                                  | Q(pk__in=staff.filter(exact).values("pk")))
    return list(found.order_by("last_name", "first_name", "pk")[:limit])


def can_view_staff_training(user) -> bool:
    """The staff training overview: the programme office, coordinators and unit managers."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user)) or bool(
        _assigned_units(user, Role.UNIT_MANAGER))


def staff_for_training_records(user) -> QuerySet[Person]:
    """People whose training the user follows: a unit manager their units' staff (with the
    units below), a coordinator their municipality's staff, the programme office everyone;
    current (active) employments only."""
    if not user.is_authenticated:
        return Person.objects.none()
    employments = Employment.objects.active()
    if not is_programme_admin(user):
        condition = Q(municipality_id__in=coordinated_municipality_ids(user))
        managed = _assigned_units(user, Role.UNIT_MANAGER)
        if managed:
            condition |= Q(units__in=Unit.objects.in_subtree_of(managed).values("pk"))
        employments = employments.filter(condition)
    return Person.objects.filter(pk__in=employments.values("person_id"))


def staff_member_for_user(user, pk: int) -> Person:
    """One of the user's staff, for their training records: 403 without the overview, 404
    for anyone outside the user's staff."""
    if not can_view_staff_training(user):
        raise PermissionDenied
    person = staff_for_training_records(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
