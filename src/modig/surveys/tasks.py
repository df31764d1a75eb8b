"""Background work for survey rounds. Each task re-reads the database and claims what it
sends with a conditional update, so a task that runs twice sends nothing twice."""

from django.tasks import task

from modig.surveys import invitations, messaging
from modig.surveys.models import Round


@task
def invite_round(round_id: int) -> None:
    """After publishing: invite the population, then send the first messages."""
    round_ = Round.objects.filter(pk=round_id, published_at__isnull=False).first()
    if round_ is None:
        return
    invitations.invite_population(round_)
    send_invitations.call(round_id)


@task
def send_invitations(round_id: int) -> None:
    """Send the due invitations of a round, one batch per task run, until none are left."""
    if messaging.send_pending_invitations(round_id) >= messaging.BATCH:
        send_invitations.enqueue(round_id)


@task
def send_due_messages() -> None:
    """The scheduled job: first messages of rounds that opened, then due reminders."""
    messaging.send_due_messages()


@task
def remind_now(round_id: int, municipality_ids: list[int] | None = None) -> None:
    """Reminders a coordinator or the programme office asked for on the round page."""
    messaging.remind_now(round_id, municipality_ids)


@task
def invite_into_open_recurring_rounds(person_ids: list[int] | None = None) -> None:
    """People who joined or moved while a recurring round is open (None: check everyone)."""
    invitations.invite_people_to_open_recurring_rounds(person_ids)
