"""Demo workplace learning: welfare technology introduced in a few workplaces of every
municipality (with the learning needs and tasks the services create), some needs met, a shared
library of resources with ratings, and the 2026 learning plans of those workplaces. Where an
ambassador covers the workplace, they coached some of the affected staff on the technology
before go-live (which counts in the introduction's coverage) and marked the needs they met.

Everything goes through learning/services.py and learning/cycle.py, seeded, so two runs with
the same seed give the same rows. The catalogue itself comes from the data migration.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment, User
from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.learning import cycle, services
from modig.learning.models import LearningNeed, LearningStep, Technology
from modig.organisation.models import Programme, Unit
from modig.training import ledger

# (title, kind, technology code, link, text): our own short texts.
RESOURCES = [
    ("Så svarar du på ett trygghetslarm", "checklist", "digitalt-trygghetslarm-i-hemmet", "",
     "1. Svara i telefonen och säg ditt namn.\n2. Fråga vad som hänt.\n3. Skriv i journalen."),
    ("Byta batteri i larmknappen", "video", "digitalt-trygghetslarm-i-hemmet",
     "https://video.example/larmknapp", ""),
    ("GPS-larmet: hitta brukarens position", "guide", "mobilt-trygghetslarm-gps-larm", "",
     "Öppna appen, välj brukaren och tryck på Karta. Positionen visas bara när larmet går."),
    ("Nattillsyn med kamera: vad du får och inte får se", "guide",
     "digital-tillsyn-nattetid-via-kamera", "",
     "Kameran visar bara vid de tider som står i beslutet. Inga bilder sparas."),
    ("Öppna ett digitalt lås", "video", "digitala-las-nyckelfri-hemtjanst",
     "https://video.example/digitalt-las", ""),
    ("Om låset inte öppnar", "checklist", "digitala-las-nyckelfri-hemtjanst", "",
     "Kontrollera att mobilen har ström och Bluetooth på. Ring larmcentralen om det ändå "
     "inte går."),
    ("Läkemedelsautomaten: påfyllning steg för steg", "guide", "lakemedelsautomat", "",
     "Fyll på enligt signeringslistan. Kontrollera att rätt dosrulle sitter i."),
    ("Signera läkemedel i mobilen", "video",
     "digital-signering-av-lakemedel-och-halso-och-sjukvardsatgard",
     "https://video.example/signering", ""),
    ("Dokumentera direkt efter besöket", "guide",
     "mobil-dokumentation-och-planering-i-verksamhetssystem", "",
     "Skriv kort vad du gjort och vad som behöver följas upp. Logga ut när du är klar."),
    ("Starta ett videosamtal med en anhörig", "checklist",
     "videosamtal-och-digitala-moten-tex-teams", "",
     "Fråga brukaren först. Ställ plattan stadigt. Avsluta samtalet när ni är klara."),
    ("Surfplattan: de fem första stegen med brukaren", "guide",
     "surfplattor-och-smarta-telefoner-till-brukare", "",
     "Börja med något brukaren tycker om: musik, bilder eller nyheter."),
    ("Robotsälen i demensvården", "link", "robotsal-och-andra-sociala-robotar",
     "https://example.org/robotsal", ""),
]


@dataclass
class LearningSummary:
    introductions: int
    needs: int
    tasks: int
    resources: int
    ratings: int
    plans: int


def _units(programme: Programme, rng: random.Random) -> list[Unit]:
    units = []
    for municipality in programme.municipalities.order_by("code"):
        workplaces = list(Unit.objects.filter(municipality=municipality, kind=Unit.Kind.UNIT,
                                              is_active=True).order_by("path"))
        units.extend(rng.sample(workplaces, min(3, len(workplaces))))
    return units


@transaction.atomic
def generate_learning(programme: Programme, *, seed: int) -> LearningSummary:
    rng = random.Random(f"{seed}-learning")
    technologies = list(Technology.objects.order_by("code"))
    introductions = []
    for unit in _units(programme, rng):
        for technology in rng.sample(technologies, 2):
            go_live = datetime.date(2026, rng.choice([3, 5, 9, 11]), 1)
            introductions.append(services.introduce(
                technology, municipality=unit.municipality, unit=unit, go_live_on=go_live))
    # A third of the needs met by the workplace, on or before go-live (the ambassador showed
    # them), so coverage has something besides courses.
    coaching, named = [], []
    # The ambassador coaches colleagues who already take part in the training (the demo's
    # share of people trained stays that of demo/training.py and the weekly coaching).
    trained = set(ledger.trained_people(programme).values_list("pk", flat=True))
    for introduction in introductions:
        needs = list(introduction.needs.order_by("pk").values_list("pk", "person_id"))
        met = [pk for pk, _person in needs if rng.random() < 0.35]
        appointment = (Appointment.objects.filter(units=introduction.unit)
                       .order_by("pk").first())
        marker = User.objects.filter(person_id=appointment.person_id).first() if (
            appointment) else None
        LearningNeed.objects.filter(pk__in=met).update(
            status=LearningNeed.Status.MET, met_by=marker,
            met_on=introduction.go_live_on - datetime.timedelta(days=rng.randint(0, 20)))
        if appointment is None:
            continue
        people = [person for _pk, person in needs if person in trained]
        for _session in range(rng.randint(1, 3)):
            day = introduction.go_live_on - datetime.timedelta(days=rng.randint(3, 40))
            if day > timezone.localdate() or day < appointment.starts_on or not people:
                continue
            coaching.append(CoachingActivity(
                appointment=appointment, date=day, unit=introduction.unit,
                format=CoachingActivity.Format.SMALL_GROUP, topic_text="",
                topic_technology=introduction.technology, minutes=rng.choice((20, 30, 45)),
                created_by=marker,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4)))
            named.append(rng.sample(people, k=min(len(people), rng.randint(2, 5))))
        if introduction.go_live_on < datetime.date(2026, 10, 1):
            introduction.tasks.update(status="done", done_on=introduction.go_live_on)
    created = CoachingActivity.objects.bulk_create(coaching)
    CoachingParticipant.objects.bulk_create(
        CoachingParticipant(activity_id=activity.pk, person_id=person_id)
        for activity, people in zip(created, named, strict=True) for person_id in people)
    ledger.mark_changed(programme)  # bulk rows send no signals
    ambassadors = list(User.objects.filter(
        pk__in=RoleAssignment.objects.filter(role=Role.AMBASSADOR).values("user_id"))
        .order_by("email"))
    raters = list(User.objects.order_by("email")[:40])
    by_code = {t.code: t for t in technologies}
    ratings = 0
    for title, kind, code, url, body in RESOURCES:
        technology = by_code.get(code)
        resource = services.add_resource(
            title=title, kind=kind, url=url, body=body,
            technologies=[technology] if technology else [],
            competences=list(technology.competences.all()[:2]) if technology else [],
            by=rng.choice(ambassadors) if ambassadors else None)
        for user in rng.sample(raters, min(len(raters), rng.randint(0, 9))):
            services.rate(resource, user, rng.choice([3, 4, 4, 5, 5, 2]))
            ratings += 1
    plans = 0
    for unit in sorted({i.unit for i in introductions}, key=lambda u: u.path):
        plan = cycle.start_plan(unit, 2026)
        plan.steps.filter(step__in=[LearningStep.Step.MAP, LearningStep.Step.PLAN]).update(
            done_on=datetime.date(2026, 4, 15))
        plans += 1
    return LearningSummary(
        introductions=len(introductions),
        needs=LearningNeed.objects.filter(introduction__in=introductions).count(),
        tasks=sum(i.tasks.count() for i in introductions),
        resources=len(RESOURCES), ratings=ratings, plans=plans)
