"""`modig import-roster FILE --municipality CODE`: the staff list import from the command line.

Uses the same services as the pages: the problems are printed in Swedish and the exit code is
1 when there are errors. `--dry-run` checks and previews only; nothing is saved, not even the
import log.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from modig.organisation.models import Municipality
from modig.roster import fields as f
from modig.roster import services
from modig.roster.problems import describe


class Command(BaseCommand):
    help = "Import a staff list (CSV or XLSX) into a municipality."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--municipality", required=True, help="SCB code, e.g. 1440")
        parser.add_argument("--dry-run", action="store_true", help="check and preview only")
        parser.add_argument("--full", action="store_true",
                            help="mark active employments missing from the file inactive")
        parser.add_argument("--create-units", action="store_true",
                            help="create the units the file names that do not exist yet")
        parser.add_argument("--mapping", nargs="*", default=[], metavar="HEADER=FIELD",
                            help=f"map a column; fields: {', '.join(f.FIELDS_BY_KEY)}")

    def handle(self, *args, **options):
        with translation.override("sv"):
            return self._handle(options)

    def _handle(self, options):
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Okänd kommunkod: {options['municipality']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {path}")
        overrides = {}
        for item in options["mapping"]:
            header, sep, key = item.partition("=")
            if not sep or key not in {*f.FIELDS_BY_KEY, ""}:
                raise CommandError(f"Ogiltig kolumnkoppling: {item} (skriv RUBRIK=fält)")
            overrides[header] = key
        try:
            with transaction.atomic():
                roster_import = self._check(municipality, path, overrides, options)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["dry_run"] or roster_import.errors_count:
            if roster_import.errors_count:
                raise CommandError("Filen har fel. Inget har sparats.")
            self.stdout.write("Provkörning: inget har sparats.")
            return
        try:
            roster_import = services.request_commit(
                roster_import, full=options["full"],
                confirmed_deactivations=roster_import.missing_count if options["full"] else None,
                inline=True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if roster_import.status != roster_import.Status.COMMITTED:
            raise CommandError(roster_import.failure or "Importen sparades inte.")
        self.stdout.write(self.style.SUCCESS(
            f"Sparat: {roster_import.created_count} nya, {roster_import.updated_count} "
            f"uppdaterade, {roster_import.unchanged_count} oförändrade, "
            f"{roster_import.deactivated_count} inaktiverade, "
            f"{roster_import.units_created_count} nya enheter."))

    def _check(self, municipality, path, overrides, options):
        # Always in the command's own process, whatever the file's size.
        roster_import = services.start_import(
            municipality, file_name=path.name, content=path.read_bytes())
        mapping = {**roster_import.mapping, **overrides}
        roster_import = services.save_mapping(roster_import, mapping=mapping, inline=True)
        if options["create_units"] and roster_import.new_units:
            roster_import = services.confirm_units(roster_import, labels=roster_import.new_units,
                                                   inline=True)
        self._report(roster_import)
        return roster_import

    def _report(self, roster_import):
        for item in roster_import.problems:
            kind = "FEL" if item["severity"] == "error" else "Varning"
            column = f", kolumn {item['column']}" if item["column"] else ""
            self.stdout.write(f"Rad {item['row']}{column}: {kind}: {describe(item)}")
        shown = len(roster_import.problems)
        total = roster_import.errors_count + roster_import.warnings_count
        if total > shown:
            self.stdout.write(f"… och {total - shown} problem till.")
        if roster_import.new_units:
            self.stdout.write("Nya enheter i filen: " + "; ".join(roster_import.new_units))
            if roster_import.errors_count:
                self.stdout.write("Lägg till --create-units för att skapa dem vid importen.")
        self.stdout.write(
            f"{roster_import.rows_total} rader: {roster_import.errors_count} fel, "
            f"{roster_import.warnings_count} varningar. Förhandsgranskning: "
            f"{roster_import.created_count} nya, {roster_import.updated_count} uppdaterade, "
            f"{roster_import.unchanged_count} oförändrade, {roster_import.missing_count} aktiva "
            "anställningar finns inte i filen.")
