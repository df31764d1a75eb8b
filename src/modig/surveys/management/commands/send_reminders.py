"""`modig send_reminders`: send the survey messages that are due now.

Run it from cron (or a systemd timer) every hour, e.g.
    0 * * * * /srv/modig/.venv/bin/modig send_reminders
It sends the first messages of rounds that have opened since they were published and the
reminders whose time has come. Running it twice in a row sends nothing twice.
"""

from django.core.management.base import BaseCommand

from modig.surveys.messaging import send_due_messages


class Command(BaseCommand):
    help = "Send due survey invitations and reminders (run hourly from cron)."

    def handle(self, *args, **options):
        invited, reminded = send_due_messages()
        self.stdout.write(f"Invitations sent: {invited}. Reminders sent: {reminded}.")
