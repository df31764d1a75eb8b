"""The yearly learning cycle of a unit (LearningPlan with four steps) and its reminders.

A step is *due* on its due date while it is not done. `send_learning_reminders` (daily)
tells about every due step once
- the unit's managers (current role assignments of Role.UNIT_MANAGER whose units include the
  plan's unit or a unit above it), by e-mail, and
- the unit's ambassadors (current Role.AMBASSADOR assignments, which follow the ambassador
  appointments, covering the unit, a unit above it or one below it), by e-mail, else SMS
  (the person's e-mail, else their mobile, else the log-in's e-mail, as training's messages);
and it tells the ambassadors of a unit, once per task, about each open learning task
("introduce <technology> to the staff") whose go-live date is at most TASK_DAYS_AHEAD days
away (or passed). A step or task is claimed by setting `reminded_on` in the same UPDATE that
checks it is still unset, so a second run, or two at once, never sends twice (as the training
reminders claim their message row before sending).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts.models import Role, RoleAssignment, User
from modig.learning.models import LearningPlan, LearningStep, LearningTask
from modig.organisation.models import Unit

# Default due dates (month, day) in the plan's year: map in spring, plan before summer,
# learn through the autumn, follow up before the year ends.
DEFAULT_DUE = {
    LearningStep.Step.MAP: (3, 31),
    LearningStep.Step.PLAN: (5, 31),
    LearningStep.Step.LEARN: (10, 31),
    LearningStep.Step.FOLLOW_UP: (12, 15),
}


def start_plan(unit: Unit, year: int, *, by=None) -> LearningPlan:
    """The unit's plan for the year with its four steps; the existing one if already started."""
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    existing = LearningPlan.objects.filter(unit=unit, year=year).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            plan = LearningPlan.objects.create(unit=unit, year=year, created_by=by)
            LearningStep.objects.bulk_create([
                LearningStep(plan=plan, step=step, position=n,
                             due_on=datetime.date(int(year), *DEFAULT_DUE[step]))
                for n, step in enumerate(LearningStep.Step.values)])
    except IntegrityError:  # started at the same moment by someone else
        return LearningPlan.objects.get(unit=unit, year=year)
    return plan


@transaction.atomic
def set_step(step: LearningStep, *, due_on: datetime.date | None = None,
             done: bool | None = None) -> LearningStep:
    """Move a due date (a new date may be reminded about again) or mark a step done/undone."""
    if due_on is not None and due_on != step.due_on:
        step.due_on, step.reminded_on = due_on, None
    if done is True and step.done_on is None:
        step.done_on = timezone.localdate()
    elif done is False:
        step.done_on = None
    step.save()
    return step


def managers_of(unit: Unit):
    """Users with a current unit-manager assignment covering the unit (it or a unit above)."""
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    assignments = RoleAssignment.objects.current().filter(
        role=Role.UNIT_MANAGER, units__in=ancestors)
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).exclude(
        email="")


# An open introduce-task is reminded about this many days before its go-live date.
TASK_DAYS_AHEAD = 14


def ambassadors_of(unit: Unit):
    """Users with a current ambassador assignment covering the unit, a unit above it or a
    unit below it (an ambassador of a work group helps its enhet's plan)."""
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    assignments = RoleAssignment.objects.current().filter(
        Q(units__in=ancestors) | Q(units__path__startswith=unit.path), role=Role.AMBASSADOR)
    return (User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)
            .select_related("person").order_by("pk"))


def _tell(user: User, subject: str, body: str, sms: str) -> bool:
    """The project's channel, as training messages choose it: the person's e-mail, else their
    mobile (SMS), else the log-in's e-mail. False when there is no way to reach them."""
    from modig.surveys import messaging

    person = user.person
    if person is not None and person.email:
        EmailMessage(subject, body, to=[person.email]).send()
    elif person is not None and person.mobile:
        messaging.sms_backend().send(person.mobile, sms)
    elif user.email:
        EmailMessage(subject, body, to=[user.email]).send()
    else:
        return False
    return True


def due_steps(today: datetime.date):
    return LearningStep.objects.filter(done_on__isnull=True, reminded_on__isnull=True,
                                       due_on__lte=today)


def send_reminders(today: datetime.date | None = None) -> int:
    """Tell each due step's unit managers and ambassadors once, then the task reminders;
    returns the number of messages sent."""
    from modig.surveys import messaging

    today = today or timezone.localdate()
    sent = 0
    for step in due_steps(today).select_related("plan__unit").order_by("pk"):
        # Claim first: only the run whose UPDATE changes the row sends.
        if not LearningStep.objects.filter(Q(pk=step.pk), Q(reminded_on__isnull=True)).update(
                reminded_on=today):
            continue
        unit = step.plan.unit
        link = messaging.public_url(reverse("learning:plan", args=[unit.pk, step.plan.year]))
        for manager in managers_of(unit):
            subject = _("Learning plan %(year)s for %(unit)s: %(step)s") % {
                "year": step.plan.year, "unit": unit.name, "step": step.get_step_display()}
            body = _("Hello,\n\nThe step \"%(step)s\" in the learning plan for %(unit)s was due "
                     "on %(date)s and is not marked as done.\n\nOpen the plan: %(link)s\n") % {
                "step": step.get_step_display(), "unit": unit.name,
                "date": step.due_on.isoformat(), "link": link}
            EmailMessage(subject, body, to=[manager.email]).send()
            sent += 1
        for ambassador in ambassadors_of(unit):
            subject = _("Learning plan %(year)s for %(unit)s: %(step)s") % {
                "year": step.plan.year, "unit": unit.name, "step": step.get_step_display()}
            body = _("Hello,\n\nThe step \"%(step)s\" in the learning plan for %(unit)s, "
                     "where you are the digital ambassador, was due on %(date)s and is not "
                     "marked as done. Talk to the manager about what you can do.\n\nOpen "
                     "the plan: %(link)s\n") % {
                "step": step.get_step_display(), "unit": unit.name,
                "date": step.due_on.isoformat(), "link": link}
            sms = _("Modig: the learning plan for %(unit)s, step \"%(step)s\", was due on "
                    "%(date)s. %(link)s") % {"unit": unit.name,
                                             "step": step.get_step_display(),
                                             "date": step.due_on.isoformat(), "link": link}
            sent += _tell(ambassador, subject, body, sms)
    return sent + send_task_reminders(today)


def due_tasks(today: datetime.date):
    """Open introduce-tasks going live within TASK_DAYS_AHEAD days (or already live), not yet
    reminded about."""
    return LearningTask.objects.filter(
        status=LearningTask.Status.OPEN, kind=LearningTask.Kind.INTRODUCE,
        reminded_on__isnull=True, due_on__isnull=False,
        due_on__lte=today + datetime.timedelta(days=TASK_DAYS_AHEAD))


def send_task_reminders(today: datetime.date | None = None) -> int:
    """Tell the unit's ambassadors about each open task near its go-live date, once."""
    from modig.surveys import messaging

    today = today or timezone.localdate()
    sent = 0
    for task in (due_tasks(today).select_related("unit", "introduction__technology")
                 .order_by("due_on", "pk")):
        ambassadors = list(ambassadors_of(task.unit))
        if not ambassadors:
            continue  # nobody to tell yet: an ambassador appointed later is told then
        if not LearningTask.objects.filter(pk=task.pk, reminded_on__isnull=True).update(
                reminded_on=today):
            continue
        link = messaging.public_url(reverse("learning:introduction-detail",
                                            args=[task.introduction_id]))
        values = {"technology": task.introduction.technology.name, "unit": task.unit.name,
                  "date": task.due_on.isoformat(), "link": link}
        subject = _("%(technology)s goes live at %(unit)s on %(date)s") % values
        body = _("Hello,\n\n%(technology)s goes live at %(unit)s on %(date)s, and the task "
                 "of introducing it to the staff is still open. See who still needs to learn "
                 "it, and guides and courses: %(link)s\n") % values
        sms = _("Modig: %(technology)s goes live at %(unit)s on %(date)s. Introduce it to "
                "the staff: %(link)s") % values
        for ambassador in ambassadors:
            sent += _tell(ambassador, subject, body, sms)
    return sent
