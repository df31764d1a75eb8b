"""Daily: remind unit managers about due steps of their units' learning plans (once each)."""

from django.core.management.base import BaseCommand

from modig.learning.cycle import send_reminders


class Command(BaseCommand):
    help = "E-mail unit managers about due learning plan steps (each step once)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminders sent")
