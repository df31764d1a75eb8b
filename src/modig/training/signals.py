"""Every save or delete of a record the hours ledger reads bumps its programme's change
counter (ledger.mark_changed), so a snapshot is never read after the records changed.
Bulk writes (bulk_create, bulk_update, QuerySet.update) send no signals: the services that
use them call ledger.mark_changed themselves (roll call, attendance import, new meeting
lengths). Fixture loading (raw) is left out: related rows may not be there yet."""

from django.db.models.signals import post_delete, post_save, pre_save

from modig.organisation.models import Programme
from modig.training import ledger
from modig.training.models import Attendance, Course, DistanceCompletion, Meeting, Session


def _programme_of(**lookup) -> int | None:
    return Course.objects.filter(**lookup).values_list("programme_id", flat=True).first()


def _mark(programme_id) -> None:
    if programme_id is not None:
        ledger.mark_changed(programme_id)


def attendance_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(_programme_of(sessions__meetings=instance.meeting_id))


def completion_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(_programme_of(pk=instance.course_id))


def meeting_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(_programme_of(sessions=instance.session_id))


def session_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(_programme_of(pk=instance.course_id))


def course_saving(sender, instance, raw=False, **kwargs):
    # A course moved to another programme changes the old programme's figures too.
    instance._ledger_old_programme = (
        None if raw or instance.pk is None else _programme_of(pk=instance.pk))


def course_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _mark(instance.programme_id)
    old = getattr(instance, "_ledger_old_programme", None)
    if old is not None and old != instance.programme_id:
        _mark(old)


def programme_changed(sender, instance, raw=False, **kwargs):
    # The period decides which entries count.
    if not raw:
        ledger.mark_changed(instance.pk)


def connect() -> None:
    for model, receiver in ((Attendance, attendance_changed),
                            (DistanceCompletion, completion_changed)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"ledger.{model.__name__}.save")
        post_delete.connect(receiver, sender=model,
                            dispatch_uid=f"ledger.{model.__name__}.delete")
    # Meetings and sessions with attendance cannot be deleted (PROTECT): saves are enough.
    post_save.connect(meeting_changed, sender=Meeting, dispatch_uid="ledger.Meeting.save")
    post_save.connect(session_changed, sender=Session, dispatch_uid="ledger.Session.save")
    pre_save.connect(course_saving, sender=Course, dispatch_uid="ledger.Course.pre_save")
    post_save.connect(course_changed, sender=Course, dispatch_uid="ledger.Course.save")
    post_save.connect(programme_changed, sender=Programme, dispatch_uid="ledger.Programme.save")
