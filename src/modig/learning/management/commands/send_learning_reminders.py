"""Daily: remind unit managers and ambassadors about due steps of their units' learning plans,
and ambassadors about open learning tasks near go-live (each step and task once)."""

from django.core.management.base import BaseCommand

from modig.learning.cycle import send_reminders


class Command(BaseCommand):
    help = ("Remind unit managers and ambassadors about due learning plan steps, and "
            "ambassadors about open tasks near go-live (each once).")

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminders sent")
