"""Action plans and the managers' change log for the demo region (issue 6).

- About 70 % of the managers (people with an active management employment) have recorded
  one to three routines they moved to a digital or mobile way of working, dated inside the
  programme period and never after today, like the real Modig's 70 %.
- Each municipality has one action plan over the programme period. Where the latest closed
  baseline round can be shown for the municipality, its goals are proposed from the results
  (plans.drafts, through the privacy rules); otherwise it gets three typical goals. Each goal
  has actions owned by a named manager or a role, in varied statuses (the ones due in the past
  mostly done), and each plan some follow-up notes.

Everything random comes from a `random.Random` seeded from the demo's seed, and managers and
municipalities are visited in a fixed order, so two runs give the same data.
"""

import datetime
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment, User
from modig.organisation.models import Employment, Programme, StaffCategory
from modig.plans import services
from modig.plans.models import Action, ActionPlan, RoutineChange

CHANGED_SHARE = 0.70

ROUTINES = [
    ("Överlämning mellan pass", "digital", "Överlämningen skrivs i verksamhetssystemet i "
     "stället för på papperslappar."),
    ("Arbetsplatsträffar", "digital", "APT hålls i Teams så att nattpersonalen kan vara med."),
    ("Schemaläggning och byten", "mobile", "Personalen ser och byter pass i en app."),
    ("Signering av läkemedel", "mobile", "Signering görs i mobilen vid brukaren."),
    ("Avvikelserapportering", "digital", "Avvikelser rapporteras i ett digitalt formulär."),
    ("Nyckelhantering", "mobile", "Digitala lås öppnas med mobilen i hemtjänsten."),
    ("Introduktion av nyanställda", "digital", "Introduktionen har en digital checklista "
     "och korta filmer."),
    ("Tillsyn nattetid", "digital", "Nattillsyn görs delvis med digital tillsyn (kamera)."),
    ("Körlistor i hemtjänsten", "mobile", "Körlistan finns i mobilen och uppdateras direkt."),
    ("Beställning av förbrukningsmaterial", "digital", "Material beställs i e-handeln."),
]

GOALS = [
    "Alla medarbetare ska kunna använda verksamhetens digitala verktyg på egen hand.",
    "Fler arbetssätt ska bli mobila, så att dokumentation görs nära brukaren.",
    "Digitaliseringsombuden ska ha tid och stöd för att lära ut till kollegor.",
]

ACTIONS = [
    "Ordna korta pass om säker inloggning på arbetsplatsträffar",
    "Köp in surfplattor till varje arbetsgrupp",
    "Låt digitaliseringsombuden hålla handledning en timme i veckan",
    "Följ upp självskattningen med enhetscheferna",
    "Ta fram en lathund för dokumentation i mobilen",
    "Inför digital tillsyn på ett boende som försök",
]

NOTES = [
    "Arbetet har kommit igång. Flera enheter har börjat med korta pass på APT.",
    "Surfplattorna är levererade. Några enheter behöver mer stöd med inloggning.",
    "Ombuden upplever att tiden för handledning ofta tas av bemanningen. Vi ser över det.",
    "Styrgruppen har gått igenom planen och ser att de flesta åtgärder följer tidplanen.",
]


@dataclass
class PlansSummary:
    managers: int = 0
    changed: int = 0
    changes: int = 0
    plans: int = 0
    actions: int = 0
    notes: int = 0
    from_survey: int = 0

    def line(self) -> str:
        return (f"Change log: {self.changed} of {self.managers} managers recorded "
                f"{self.changes} changed routines. Action plans: {self.plans} "
                f"({self.from_survey} drafted from the survey results), {self.actions} "
                f"actions, {self.notes} follow-up notes.")


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date):
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _change_log(programme: Programme, rng: random.Random, summary: PlansSummary) -> None:
    first, last = programme.starts_on, min(programme.ends_on, timezone.localdate())
    rows = (Employment.objects.active()
            .filter(staff_category=StaffCategory.MANAGEMENT,
                    municipality__in=programme.municipalities.all(), units__isnull=False)
            .order_by("person_id", "pk", "units__pk").values_list("person_id", "units__pk"))
    unit_of = {}
    for person_id, unit_id in rows:
        unit_of.setdefault(person_id, unit_id)
    recorders = dict(User.objects.filter(person_id__in=unit_of).values_list("person_id", "pk"))
    changes = []
    summary.managers = len(unit_of)
    for person_id, unit_id in unit_of.items():
        if rng.random() >= CHANGED_SHARE or last < first:
            continue
        summary.changed += 1
        for routine, way, description in rng.sample(ROUTINES, rng.randint(1, 3)):
            changes.append(RoutineChange(
                manager_id=person_id, unit_id=unit_id, changed_on=_day_between(rng, first, last),
                routine=routine, way=way, description=description,
                recorded_by_id=recorders.get(person_id)))
    RoutineChange.objects.bulk_create(changes, batch_size=1000)
    summary.changes = len(changes)


def _action_status(rng: random.Random, due_on: datetime.date, today: datetime.date) -> str:
    if due_on < today:
        return rng.choices([Action.Status.DONE, Action.Status.IN_PROGRESS,
                            Action.Status.CANCELLED], weights=[7, 2, 1])[0]
    return rng.choices([Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
                       weights=[1, 1])[0]


def _plan(programme, municipality, rng: random.Random, summary: PlansSummary) -> None:
    today = timezone.localdate()
    coordinator = (RoleAssignment.objects.filter(role=Role.COORDINATOR,
                                                 municipality=municipality)
                   .order_by("pk").values_list("user", flat=True).first())
    created_by = User.objects.filter(pk=coordinator).first() if coordinator else None
    fields = {"municipality": municipality, "title": f"Digital handlingsplan för "
              f"{municipality.name}", "starts_on": programme.starts_on,
              "ends_on": programme.ends_on, "created_by": created_by}
    try:
        plan = services.create_plan(**fields, from_survey=True)
        summary.from_survey += 1
    except ValidationError:
        plan = services.create_plan(**fields)
        for text in GOALS:
            services.add_goal(plan, text=text)
    managers = list(Employment.objects.active()
                    .filter(municipality=municipality, staff_category=StaffCategory.MANAGEMENT)
                    .select_related("person").order_by("person_id")[:20])
    for goal in plan.goals.order_by("position"):
        for text in rng.sample(ACTIONS, 2):
            due_on = _day_between(rng, plan.starts_on + datetime.timedelta(days=60),
                                  plan.ends_on)
            owner = rng.choice(managers).person if managers and rng.random() < 0.7 else None
            services.save_action(plan, Action(
                goal=goal, text=text, owner=owner,
                owner_name="" if owner else "Lokal projektledare", due_on=due_on,
                status=_action_status(rng, due_on, today)), competences=goal.competences.all())
            summary.actions += 1
    last = min(plan.ends_on, today)
    days = sorted(_day_between(rng, plan.starts_on + datetime.timedelta(days=90), last)
                  for _ in range(rng.randint(2, 3))) if last > plan.starts_on else []
    for day, text in zip(days, NOTES, strict=False):
        services.add_note(plan, noted_on=day, text=text, author=created_by)
        summary.notes += 1
    if days:
        plan.status = ActionPlan.Status.ADOPTED
        plan.save(update_fields=["status"])
    summary.plans += 1


@transaction.atomic
def generate_plans(programme: Programme, *, seed: int) -> PlansSummary:
    rng = random.Random(f"{seed}-plans")
    summary = PlansSummary()
    _change_log(programme, rng, summary)
    for municipality in programme.municipalities.order_by("code"):
        _plan(programme, municipality, rng, summary)
    return summary
