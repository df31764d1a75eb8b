"""Background work for training: messages about enrolments and sessions. Each task re-reads
the database and claims what it sends with a conditional update (training/messages.py), so a
task that runs twice sends nothing twice."""

from django.tasks import task


@task
def send_enrolment_confirmation(enrolment_id: int) -> None:
    """After enrolment: a confirmation of the place, or of the place in line."""
    from modig.training import messages

    messages.send_enrolment_confirmation(enrolment_id)


@task
def send_place_offered(enrolment_id: int) -> None:
    """A waiting person moved up: tell them they have a place."""
    from modig.training import messages

    messages.send_place_offered(enrolment_id)


@task
def send_session_cancelled(session_id: int) -> None:
    """A session was cancelled: tell everyone who was enrolled or waiting."""
    from modig.training import messages

    messages.send_session_cancelled(session_id)


@task
def send_training_reminders() -> None:
    """The daily job: reminders for tomorrow's meetings (the management command does the
    same)."""
    from modig.training import messages

    messages.send_reminders()


@task
def rebuild_ledger(programme_id: int) -> None:
    """Rebuild the hours ledger's per-person snapshot of one programme (training/ledger.py);
    queued by a figure that found it stale."""
    from modig.organisation.models import Programme
    from modig.training import ledger

    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is not None:
        ledger.rebuild(programme)


@task
def send_enrolment_confirmations(enrolment_ids: list[int]) -> None:
    """The confirmations of many enrolments at once (group formation): one queued job
    instead of one per person."""
    from modig.training import messages

    for enrolment_id in enrolment_ids:
        messages.send_enrolment_confirmation(enrolment_id)
