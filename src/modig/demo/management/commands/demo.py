"""`modig demo [--if-new]`: generate the demo region and print one log-in per role."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from modig.demo.ambassadors import generate_ambassadors
from modig.demo.generator import SEED, generate_region
from modig.demo.learning import generate_learning
from modig.demo.logins import DEMO_PASSWORD, create_logins, demo_logins
from modig.demo.plans import generate_plans
from modig.demo.reports import generate_esf
from modig.demo.surveys import try_it_out
from modig.demo.training import generate_training
from modig.organisation.models import Programme
from modig.training import ledger


class Command(BaseCommand):
    help = "Generate the deterministic demo region and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-new", action="store_true",
            help="Only generate when the database has no programme yet; always print log-ins.",
        )
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Size of the region (1.0: about 3,500 staff).")
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--no-surveys", action="store_true",
                            help="Leave out the self-assessment rounds and their answers.")
        parser.add_argument("--no-training", action="store_true",
                            help="Leave out the course catalogue, sessions and attendance.")

    def handle(self, *args, if_new: bool, scale: float, seed: int, no_surveys: bool = False,
               no_training: bool = False, **options):
        if Programme.objects.exists():
            if not if_new:
                raise CommandError(
                    "The database already has a programme. Run the demo on an empty database "
                    "(for example MODIG_VAR_DIR=/tmp/modig-demo), or use --if-new to print "
                    "the log-ins of an existing demo."
                )
            self.stdout.write("The database already has a programme: nothing generated.")
        else:
            started = time.perf_counter()
            summary = generate_region(seed=seed, scale=scale, surveys=not no_surveys)
            create_logins(summary, seed=seed)
            # After the log-ins: the demo's trainer and ambassadors run sessions.
            training = None if no_training else generate_training(summary.programme, seed=seed)
            if training:  # appointments and coaching for the demo's ambassadors
                generate_ambassadors(summary.programme, seed=seed)
            generate_learning(summary.programme, seed=seed)  # welfare technology, learning
            self.stdout.write(generate_plans(summary.programme, seed=seed).line())
            generate_esf(summary.programme, seed=seed)
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Generated the demo region in {seconds:.1f} s: {len(summary.ambassadors)} "
                f"municipalities, {summary.units} units ({summary.enheter} workplaces), "
                f"{summary.people} people, {summary.employments} employments."
            )
            if summary.surveys:
                self.stdout.write(
                    f"Survey rounds: {len(summary.surveys.rounds)}, "
                    f"{summary.surveys.invitations} invitations, "
                    f"{summary.surveys.responses} responses, {summary.surveys.answers} answers."
                )
            if training:
                self.print_training(summary.programme, training)
        with translation.override("en"):
            self.print_logins()
            self.print_survey_entry()

    def print_training(self, programme, training) -> None:
        """The catalogue's size and the ledger's figures (the same as every page shows)."""
        total = ledger.totals(programme)
        self.stdout.write(
            f"Training: {training.courses} courses, {training.sessions} sessions, "
            f"{training.enrolments} enrolments, {training.attendance} attendance records; "
            f"{total.people} people trained, {total.hours:,.0f} training hours."
        )

    def print_survey_entry(self) -> None:
        """A link and a short code nobody has used yet in the open follow-up round."""
        entry = try_it_out(f"http://{os.environ.get('MODIG_BIND', '127.0.0.1:8000')}")
        if entry is None:
            return
        link, code = entry
        base = link.split("/s/")[0]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Answer the self-assessment as a care worker"))
        self.stdout.write(f"  Personal link:  {link}")
        self.stdout.write(f"  Short code:     {code}   (type it at {base}/svara/)")

    def print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("This database has no demo log-ins.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo log-ins"))
        self.stdout.write(f"Password for every log-in: {DEMO_PASSWORD}")
        self.stdout.write("")
        roles = [f"{login.role}, {login.scope}" if login.scope else login.role
                 for login in logins]
        email_width = max(len(login.email) for login in logins) + 2
        role_width = max(len(role) for role in roles) + 2
        for login, role in zip(logins, roles, strict=True):
            codes = "backup codes: " + " ".join(login.backup_codes) if login.backup_codes else ""
            self.stdout.write(f"  {login.email:<{email_width}}{role:<{role_width}}{codes}".rstrip())
        two_factor = [login for login in logins if login.otpauth_uri]
        if two_factor:
            self.stdout.write("")
            self.stdout.write(
                "Programme administrators and coordinators pass a two-step check after the "
                "password: type one of their backup codes (each works once; run `modig demo "
                "--if-new` to see unused ones), or add their key to an authenticator app:"
            )
            for login in two_factor:
                self.stdout.write(f"  {login.otpauth_uri}")
