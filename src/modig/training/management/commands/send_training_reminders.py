"""Send reminders for tomorrow's training meetings. Run it once a day (cron or the task
scheduler); running it again the same day sends nothing twice (training/messages.py)."""

from django.core.management.base import BaseCommand

from modig.training import messages


class Command(BaseCommand):
    help = "Remind people with a place of their training meetings tomorrow (never twice)."

    def handle(self, *args, **options):
        sent = messages.send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
