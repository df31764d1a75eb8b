"""Training for the demo region: a catalogue, sessions, enrolments, attendance (issue 5).

What the demo shows, so the training pages and the hours ledger have something true-to-life
to say (the real Modig trained 3,513 people in 30,605 hours, about 8.7 hours each):
- A catalogue of 22 courses in the five target-group tracks (base staff, operational
  managers with "Leda digital förändring", the ambassadors' train-the-trainer course and their
  network meetings, strategists, local project leaders), two of them local to one
  municipality, each tied to DigComp competences, in all four formats.
- Sessions from February 2025 to October 2026 (no training in July or over Christmas), with
  meetings in half-day slots, trainers (GR's trainers; after their own course in spring 2025
  the ambassadors run the on-site basic course at home), capacities, and small groups of six
  for the basic course's lowest scorers in the baseline self-assessment (at random when the
  demo has no surveys). Colleagues of a unit sit in the same group where possible.
- About three in four staff trained, 8–9 hours each on average; Stenungsund, which started
  late, trained fewer. At each meeting about 12 % were absent and 7 % partly present;
  some enrolments were cancelled, a few sessions too. Distance courses completed, the
  self-paced part of blended courses, and about 40 % of attended sessions certified by the
  participant (a few since corrected, so their certification is stale).
- The next term's first sessions are dated from today (like the open follow-up round), so
  there is something to sign up for; a few of them are full with a waiting list.

Rows are written with bulk inserts. Everything random comes from a `random.Random` seeded
from the demo's seed and people are visited in a fixed order, so two runs give the same
training; only the sessions' check-in secrets and dates relative to today differ.
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Avg, Q
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment, User
from modig.competence.models import Competence, Framework
from modig.organisation.models import Employment, Person, Programme, StaffCategory, TargetGroup
from modig.surveys.models import Response, Round
from modig.training.models import (
    Attendance,
    AttendanceCertification,
    Course,
    DistanceCompletion,
    Enrolment,
    Meeting,
    Session,
)

Format = Course.Format
TG = TargetGroup.Code

# The training window (fixed dates) and the next term (dated from today).
FIRST_DAY = datetime.date(2025, 2, 17)
LAST_DAY = datetime.date(2026, 10, 30)
UPCOMING_FROM_DAYS, UPCOMING_TO_DAYS = 7, 63
BREAKS = [  # no training in these periods (summer, Christmas)
    (datetime.date(2025, 6, 23), datetime.date(2025, 8, 15)),
    (datetime.date(2025, 12, 19), datetime.date(2026, 1, 9)),
    (datetime.date(2026, 6, 22), datetime.date(2026, 8, 14)),
    (datetime.date(2026, 12, 18), datetime.date(2027, 1, 8)),
    (datetime.date(2027, 6, 21), datetime.date(2027, 8, 13)),
]
HOLIDAYS = {datetime.date(*day) for day in [
    (2025, 4, 18), (2025, 4, 21), (2025, 5, 1), (2025, 5, 29), (2025, 6, 6),
    (2026, 4, 3), (2026, 4, 6), (2026, 5, 1), (2026, 5, 14), (2026, 6, 19),
    (2027, 3, 26), (2027, 3, 29), (2027, 5, 6),
]}
# Half-day slots: meetings of one slot never overlap meetings of another, so a person booked
# into at most one session per slot is never double-booked.
SLOT_STARTS = {0: (datetime.time(8, 30), datetime.time(9, 0)),
               1: (datetime.time(13, 0), datetime.time(13, 30))}
GR_PLACE = "Göteborgsregionen, Gårdavägen 2, Göteborg"
VIDEO_BASE = "https://mote.modig.example"

# Who takes part: the share of active base staff in each municipality who take at least one
# course (Stenungsund started its training late, see demo.surveys).
TAKES_PART = {"1481": 0.82, "1482": 0.80, "1402": 0.76, "1401": 0.81, "1440": 0.83,
              "1415": 0.58, "1419": 0.78}
FILL = 0.85  # sessions are planned for a little more than the people signed up
SMALL_GROUP_SHARE = 0.18  # of the basic course's participants: the lowest baseline scores
NO_SHOW = 0.075  # enrolled but came to none of the meetings
ABSENT = 0.055  # absent from one meeting (on top of the no-shows)
PARTIAL = 0.075  # partly present at one meeting
CANCELLED_ENROLMENT = 0.04
CANCELLED_SESSION = 0.02
BLENDED_COMPLETED = 0.85  # of those who came to a blended course's meetings
SELF_PACED_COMPLETED = 0.9
CERTIFIED = 0.40
STALE_CERTIFICATION = 0.03  # of the certifications: attendance corrected afterwards
NETWORK_ATTENDED = 0.75  # an ambassador at one network meeting
BATCH = 2000


@dataclass(frozen=True)
class CourseSpec:
    """A course of the demo catalogue and how its sessions are planned.

    `meetings`: minutes of each live meeting of a session (none: self-paced);
    `self_paced_minutes`: the distance part (the nominal length of self-paced and blended
    courses). `scope`: "municipality" holds sessions for each municipality's staff,
    "programme" gathers the whole region. `repeat`: that many sessions (network meetings),
    each open to the whole group instead of one place per person.
    """

    code: str
    title: str
    description: str
    format: str
    target_groups: tuple[str, ...]
    competences: tuple[str, ...]
    opens: datetime.date
    closes: datetime.date
    meetings: tuple[int, ...] = ()
    self_paced_minutes: int = 0
    capacity: int = 15
    scope: str = "municipality"
    prerequisite_level: int | None = None
    materials: str = ""
    municipality: str = ""  # SCB code of a local course
    small_group_meetings: tuple[int, ...] = ()
    small_group_capacity: int = 6
    repeat: int = 0
    upcoming: int = 0  # sessions in the next term (per municipality for municipal courses)
    blended_on_site: bool = False  # a blended course's meetings are in a room, not on video

    @property
    def meets_on_site(self) -> bool:
        return self.format == Format.ON_SITE or self.blended_on_site

    @property
    def nominal_minutes(self) -> int:
        return self.self_paced_minutes or sum(self.meetings)


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


CATALOGUE: list[CourseSpec] = [
    # Base staff ---------------------------------------------------------------------------
    CourseSpec(
        "digital-grundkurs", "Digital grundkurs för omsorgen",
        "Du lär dig grunderna i surfplattan och mobilen som du använder i jobbet. Vi övar "
        "på att logga in, hitta information, skicka meddelanden och lösa enkla problem. "
        "Kursen är två träffar på din arbetsplats. Ingen förkunskap behövs. Vill du gå i en "
        "liten grupp med mer tid för övning? Säg det till din chef.",
        Format.ON_SITE, (TG.BASE_STAFF,), ("1.1", "2.1", "4.1", "5.1"),
        _d(2025, 3, 17), _d(2026, 6, 12), meetings=(150, 150), capacity=14,
        prerequisite_level=None, small_group_meetings=(120, 120, 120), upcoming=1,
        materials="Övningshäfte (PDF). Ta med din arbetsmobil eller surfplatta.",
    ),
    CourseSpec(
        "saker-i-mobilen", "Säker i mobilen och på nätet",
        "En kort kurs på nätet som du gör när det passar dig. Du lär dig bra lösenord, "
        "att känna igen bedrägerier och hur du skyddar uppgifter om brukare.",
        Format.SELF_PACED, (TG.BASE_STAFF, TG.AMBASSADOR), ("4.1", "4.2", "2.6"),
        _d(2025, 4, 1), _d(2026, 10, 30), self_paced_minutes=60, prerequisite_level=1,
        materials="Sex korta filmer med frågor. Fungerar i mobilen.",
    ),
    CourseSpec(
        "dokumentera-i-mobilen", "Dokumentera i mobilen",
        "Du lär dig skriva social dokumentation i mobilen, nära brukaren. En träff på video "
        "med din kommuns utbildare och en del på nätet som du gör själv.",
        Format.BLENDED, (TG.BASE_STAFF,), ("1.3", "2.2", "4.2"),
        _d(2025, 8, 25), _d(2026, 10, 23), meetings=(120,), self_paced_minutes=60,
        capacity=20, prerequisite_level=2,
        materials="Lathund för dokumentation i mobilen. Länk till övningsmiljön.",
    ),
    CourseSpec(
        "videosamtal", "Videosamtal med brukare och anhöriga",
        "Du lär dig ringa och ta emot videosamtal, hjälpa en brukare att prata med sina "
        "anhöriga och tänka på integriteten. Träffen är på video.",
        Format.REMOTE_LIVE, (TG.BASE_STAFF,), ("2.1", "2.5"),
        _d(2025, 4, 7), _d(2026, 10, 30), meetings=(90,), capacity=25, scope="programme",
        prerequisite_level=1, upcoming=1,
    ),
    CourseSpec(
        "valfardsteknik-i-vardagen", "Välfärdsteknik i vardagen",
        "Trygghetskamera, digitala lås, läkemedelsrobot och sensorer: du får prova tekniken "
        "och lära dig vad du gör när något inte fungerar.",
        Format.ON_SITE, (TG.BASE_STAFF,), ("5.1", "5.2"),
        _d(2025, 9, 1), _d(2026, 10, 30), meetings=(180,), capacity=15, prerequisite_level=1,
    ),
    CourseSpec(
        "teams-i-arbetslaget", "Teams i arbetslaget",
        "Du lär dig delta i möten, chatta med ditt arbetslag och hitta gemensamma filer i "
        "Teams. Träffen är på video.",
        Format.REMOTE_LIVE, (TG.BASE_STAFF, TG.OPERATIONAL_MANAGER), ("2.1", "2.4"),
        _d(2025, 5, 5), _d(2026, 10, 30), meetings=(120,), capacity=30, scope="programme",
        prerequisite_level=1, upcoming=2,
    ),
    CourseSpec(
        "hitta-och-granska", "Hitta och granska information på nätet",
        "Du lär dig söka smart och avgöra om en källa går att lita på, till exempel om "
        "läkemedel eller hjälpmedel. En kurs på nätet.",
        Format.SELF_PACED, (TG.BASE_STAFF,), ("1.1", "1.2"),
        _d(2025, 9, 1), _d(2026, 10, 30), self_paced_minutes=45, prerequisite_level=1,
    ),
    CourseSpec(
        "digital-delaktighet", "Stötta brukare att bli digitalt delaktiga",
        "Hur hjälper du en brukare att använda e-tjänster, betala eller boka resor själv? "
        "En träff på arbetsplatsen och en del på nätet.",
        Format.BLENDED, (TG.BASE_STAFF,), ("2.3", "5.2"),
        _d(2025, 10, 6), _d(2026, 10, 30), meetings=(150,), self_paced_minutes=45,
        capacity=15, prerequisite_level=2, blended_on_site=True,
    ),
    CourseSpec(
        "halsa-och-skarmtid", "Hälsa och skärmtid i digitalt arbete",
        "Korta övningar om ergonomi, pauser och stress när mer av jobbet görs i mobilen.",
        Format.SELF_PACED, (TG.BASE_STAFF, TG.OPERATIONAL_MANAGER), ("4.3",),
        _d(2025, 9, 1), _d(2026, 10, 30), self_paced_minutes=30,
    ),
    CourseSpec(
        "bilder-med-samtycke", "Bilder och film i jobbet – med samtycke",
        "När får du fotografera eller filma hos en brukare? Hur sparar du bilderna säkert? "
        "En träff på video.",
        Format.REMOTE_LIVE, (TG.BASE_STAFF,), ("3.1", "3.3", "4.2"),
        _d(2025, 10, 13), _d(2026, 10, 30), meetings=(90,), capacity=30, scope="programme",
        prerequisite_level=2,
    ),
    CourseSpec(
        "losa-tekniska-problem", "Lös vanliga tekniska problem själv",
        "Mobilen laddar inte, appen hänger sig, lösenordet är glömt: steg för steg vad du "
        "kan göra själv och när du ringer support. En kurs på nätet.",
        Format.SELF_PACED, (TG.BASE_STAFF,), ("5.1",),
        _d(2025, 6, 2), _d(2026, 10, 30), self_paced_minutes=45, prerequisite_level=1,
    ),
    # Local courses ------------------------------------------------------------------------
    CourseSpec(
        "digitala-nycklar-kungalv", "Digitala nycklar i hemtjänsten i Kungälv",
        "Kungälvs nya digitala nycklar: så låser du upp, kvitterar besöket och gör om "
        "mobilen inte fungerar. För hemtjänsten i Kungälv.",
        Format.ON_SITE, (TG.BASE_STAFF,), ("5.1", "5.2"),
        _d(2025, 9, 8), _d(2026, 3, 27), meetings=(120,), capacity=15, municipality="1482",
    ),
    CourseSpec(
        "lakemedelsrobot-molndal", "Läkemedelsrobot och digital signering i Mölndal",
        "Mölndals läkemedelsrobotar och signering i mobilen: så fungerar de och så gör du "
        "när en dos inte tas. För äldreomsorgen i Mölndal.",
        Format.ON_SITE, (TG.BASE_STAFF,), ("5.2", "4.2"),
        _d(2025, 10, 6), _d(2026, 5, 29), meetings=(90,), capacity=15, municipality="1481",
    ),
    # Operational managers ---------------------------------------------------------------
    CourseSpec(
        "leda-digital-forandring", "Leda digital förändring",
        "För enhetschefer och biträdande enhetschefer. Fyra träffar om att leda en "
        "arbetsplats där allt mer görs digitalt: behov, förändring av rutiner, stöd till "
        "medarbetare och uppföljning. Mellan träffarna arbetar du med en uppgift på din "
        "enhet.",
        Format.BLENDED, (TG.OPERATIONAL_MANAGER, TG.STRATEGIST), ("5.3", "5.4", "2.4"),
        _d(2025, 3, 3), _d(2026, 5, 29), meetings=(180, 180, 180, 180),
        self_paced_minutes=120, capacity=20, scope="programme", prerequisite_level=3,
        upcoming=1, blended_on_site=True, materials="Arbetsbok för chefer. Litteraturlista.",
    ),
    CourseSpec(
        "informationssakerhet-chefer", "Informationssäkerhet och GDPR för chefer",
        "Ditt ansvar som chef för behörigheter, personuppgifter och incidenter. En träff på "
        "video.",
        Format.REMOTE_LIVE, (TG.OPERATIONAL_MANAGER,), ("4.2", "4.1"),
        _d(2025, 5, 12), _d(2026, 10, 30), meetings=(150,), capacity=30, scope="programme",
        prerequisite_level=3,
    ),
    CourseSpec(
        "folja-upp-med-kartlaggningen", "Följ upp med kompetenskartläggningen",
        "Läs din enhets resultat från självskattningen, välj insatser och följ upp dem. En "
        "träff på video.",
        Format.REMOTE_LIVE, (TG.OPERATIONAL_MANAGER,), ("1.2", "1.3", "5.4"),
        _d(2025, 4, 22), _d(2026, 10, 30), meetings=(120,), capacity=30, scope="programme",
        prerequisite_level=2,
    ),
    # Ambassadors -------------------------------------------------------------------------
    CourseSpec(
        "ombud-lar-ut", "Digitaliseringsombud: lär ut till kollegor",
        "Utbildningen för dig som är digitaliseringsombud (train the trainer). Fyra träffar "
        "om att lära vuxna, visa på arbetsplatsen och hålla den digitala grundkursen för "
        "dina kollegor, och en del på nätet.",
        Format.BLENDED, (TG.AMBASSADOR,), ("5.4", "2.4", "3.1", "5.1"),
        _d(2025, 2, 24), _d(2025, 5, 30), meetings=(180, 180, 180, 180),
        self_paced_minutes=180, capacity=16, scope="programme", prerequisite_level=3,
        blended_on_site=True, materials="Handledarmaterial för den digitala grundkursen.",
    ),
    CourseSpec(
        "ombudsnatverket", "Nätverksträff för digitaliseringsombud",
        "Ombuden i regionen träffas på video ungefär varannan månad: nyheter, erfarenheter "
        "och frågor från arbetsplatserna.",
        Format.REMOTE_LIVE, (TG.AMBASSADOR,), ("2.4", "5.4"),
        _d(2025, 6, 2), _d(2026, 10, 30), meetings=(120,), capacity=60, scope="programme",
        repeat=9, upcoming=1,
    ),
    # Strategists -------------------------------------------------------------------------
    CourseSpec(
        "strategisk-digitalisering", "Strategisk digitalisering i äldreomsorg och funktionsstöd",
        "För förvaltningsledning och strateger: omvärld, välfärdsteknik, upphandling och hur "
        "kompetens blir en del av verksamhetens plan. Två träffar på Göteborgsregionen.",
        Format.ON_SITE, (TG.STRATEGIST,), ("5.3", "5.2", "2.4"),
        _d(2025, 3, 10), _d(2025, 5, 30), meetings=(180, 180), capacity=25,
        scope="programme", prerequisite_level=4,
    ),
    CourseSpec(
        "digital-handlingsplan", "Från kartläggning till digital handlingsplan",
        "Så skriver kommunen sin digitala handlingsplan utifrån kartläggningen: mål, "
        "insatser, ansvar och uppföljning. En träff på video.",
        Format.REMOTE_LIVE, (TG.STRATEGIST, TG.LOCAL_PROJECT_LEADER), ("5.3", "5.4"),
        _d(2025, 4, 7), _d(2025, 11, 28), meetings=(180,), capacity=25, scope="programme",
        prerequisite_level=3,
    ),
    # Local project leaders ----------------------------------------------------------------
    CourseSpec(
        "lokal-projektledning", "Lokal projektledning i Modig",
        "För kommunernas lokala projektledare: planera utbildningar, samordna ombuden och "
        "följa upp. Tre träffar på video.",
        Format.REMOTE_LIVE, (TG.LOCAL_PROJECT_LEADER,), ("2.4", "5.4", "1.3"),
        _d(2025, 2, 17), _d(2025, 4, 30), meetings=(120, 120, 120), capacity=20,
        scope="programme", prerequisite_level=3,
    ),
    CourseSpec(
        "redovisa-deltagare", "Redovisa deltagare och timmar till ESF",
        "Närvaro, intyg från deltagarna och deltagarredovisningen per månad. En träff på "
        "video.",
        Format.REMOTE_LIVE, (TG.LOCAL_PROJECT_LEADER,), ("1.3", "4.2"),
        _d(2025, 5, 5), _d(2025, 10, 31), meetings=(90,), capacity=20, scope="programme",
        prerequisite_level=2,
    ),
]

# Of base staff who take part: the share who take each base course.
BASE_SHARES = {
    "digital-grundkurs": 0.74, "saker-i-mobilen": 0.55, "dokumentera-i-mobilen": 0.50,
    "videosamtal": 0.25, "valfardsteknik-i-vardagen": 0.40, "teams-i-arbetslaget": 0.30,
    "hitta-och-granska": 0.20, "digital-delaktighet": 0.15, "halsa-och-skarmtid": 0.15,
    "bilder-med-samtycke": 0.12, "losa-tekniska-problem": 0.16,
}
LOCAL_SHARES = {"digitala-nycklar-kungalv": 0.65, "lakemedelsrobot-molndal": 0.45}
MANAGER_SHARES = {
    "leda-digital-forandring": 0.82, "informationssakerhet-chefer": 0.45,
    "folja-upp-med-kartlaggningen": 0.35, "teams-i-arbetslaget": 0.15,
    "halsa-och-skarmtid": 0.10,
}


@dataclass
class TrainingSummary:
    """What was made, for the command to print and tests to check."""

    courses: int = 0
    sessions: int = 0
    meetings: int = 0
    enrolments: int = 0
    waiting: int = 0
    attendance: int = 0
    completions: int = 0
    certifications: int = 0


@dataclass
class _Person:
    pk: int
    municipality: str  # SCB code of the first active employment
    municipality_id: int
    management: bool
    groups: frozenset
    unit_id: int | None
    unit_name: str
    user_id: int | None = None
    score: float | None = None
    busy: set = field(default_factory=set)  # (date, slot) already booked

    @property
    def is_base_staff(self) -> bool:
        return TG.BASE_STAFF in self.groups and not self.management


@dataclass
class _Session:
    spec: CourseSpec
    session: Session
    meetings: list  # (date, starts_at, ends_at)
    people: list = field(default_factory=list)  # _Person with a place
    waiting: list = field(default_factory=list)
    is_upcoming: bool = False

    @property
    def slots(self) -> list[tuple[datetime.date, int]]:
        return [(day, 0 if start < datetime.time(12) else 1) for day, start, _ in self.meetings]


def _at(day: datetime.date, time: datetime.time, minutes: int = 0) -> datetime.datetime:
    """Local time on a day, plus minutes, in UTC (so later arithmetic ignores summer time)."""
    moment = datetime.datetime.combine(day, time) + datetime.timedelta(minutes=minutes)
    return timezone.make_aware(moment).astimezone(datetime.UTC)


def _add_minutes(time: datetime.time, minutes: int) -> datetime.time:
    return (datetime.datetime.combine(FIRST_DAY, time)
            + datetime.timedelta(minutes=minutes)).time()


def _is_teaching_day(day: datetime.date) -> bool:
    return (day.weekday() < 4 and day not in HOLIDAYS
            and not any(first <= day <= last for first, last in BREAKS))


def _teaching_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if _is_teaching_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


class _Planner:
    def __init__(self, programme: Programme, seed: int):
        self.programme = programme
        self.rng = random.Random(f"{seed}-training")
        self.today = timezone.localdate()
        self.last_day = min(LAST_DAY, self.today - datetime.timedelta(days=7))
        self.people: list[_Person] = []
        self.courses: dict[str, Course] = {}
        self.sessions: list[_Session] = []
        self.gr_trainers: list[int] = []
        self.ambassador_trainers: dict[str, list[int]] = {}
        self.municipality_ids: dict[str, int] = {}
        self.municipality_names: dict[str, str] = {}
        self.video_counter = 0

    # --- reading the region ------------------------------------------------------------

    def load_people(self) -> None:
        """Everyone with an active employment in the programme, in person order."""
        municipalities = self.programme.municipalities.all()
        for pk, code, name in municipalities.values_list("pk", "code", "name"):
            self.municipality_ids[code], self.municipality_names[code] = pk, name
        employments = (Employment.objects.active().filter(municipality__in=municipalities)
                       .order_by("person_id", "pk")
                       .values_list("pk", "person_id", "municipality__code",
                                    "municipality_id", "staff_category"))
        unit_of = {}
        for employment_id, unit_id, kind, name, parent_id, parent_name in (
                Employment.units.through.objects.filter(employment__in=employments.values("pk"))
                .order_by("employment_id", "unit_id")
                .values_list("employment_id", "unit_id", "unit__kind", "unit__name",
                             "unit__parent_id", "unit__parent__name")):
            # Work groups train with their unit (enhet).
            unit_of.setdefault(employment_id, (parent_id, parent_name) if kind == "work_group"
                               else (unit_id, name))
        groups: dict[int, set] = {}
        for person_id, code in (Employment.target_groups.through.objects
                                .filter(employment__in=employments.values("pk"))
                                .values_list("employment__person_id", "targetgroup__code")):
            groups.setdefault(person_id, set()).add(code)
        users = dict(User.objects.filter(person__isnull=False, is_active=True)
                     .values_list("person_id", "pk"))
        seen = set()
        for employment_id, person_id, code, municipality_id, category in employments:
            if person_id in seen:
                continue
            seen.add(person_id)
            unit_id, unit_name = unit_of.get(employment_id, (None, ""))
            self.people.append(_Person(
                pk=person_id, municipality=code, municipality_id=municipality_id,
                management=category == StaffCategory.MANAGEMENT,
                groups=frozenset(groups.get(person_id, ())), unit_id=unit_id,
                unit_name=unit_name, user_id=users.get(person_id),
            ))
        self._load_scores()
        self._load_trainers(users)

    def _load_scores(self) -> None:
        """Each person's mean rating in the staff baseline round, if the demo has one
        (matched through the pseudonymous key, as group formation does)."""
        baseline = (Round.objects.filter(programme=self.programme, kind=Round.Kind.BASELINE,
                                         questionnaire__audience="staff")
                    .order_by("pk").first())
        if baseline is None:
            return
        scores = dict(Response.objects.filter(round=baseline, submitted_at__isnull=False)
                      .values("respondent_key")
                      .annotate(score=Avg("answers__value", filter=Q(answers__value__gt=0)))
                      .values_list("respondent_key", "score"))
        pseudonyms = dict(Person.objects.filter(pk__in=[p.pk for p in self.people])
                          .values_list("pk", "pseudonym"))
        for person in self.people:
            person.score = scores.get(pseudonyms[person.pk])

    def _load_trainers(self, users: dict[int, int]) -> None:
        """GR's trainers (the demo's trainer log-in and two colleagues made here) and each
        municipality's ambassadors who have a log-in."""
        trainer = (User.objects.filter(role_assignments__role=Role.TRAINER)
                   .order_by("pk").values_list("pk", flat=True).first())
        password = make_password(None)
        colleagues = User.objects.bulk_create([
            User(email="utbildare.2@modig.demo", full_name="Jonas Ek, GR", password=password),
            User(email="utbildare.3@modig.demo", full_name="Leyla Aziz, GR",
                 password=password),
        ])
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=Role.TRAINER)
                                           for user in colleagues)
        self.gr_trainers = [pk for pk in [trainer, *(u.pk for u in colleagues)] if pk]
        for person in self.people:
            if TG.AMBASSADOR in person.groups and person.user_id:
                self.ambassador_trainers.setdefault(person.municipality, []).append(
                    person.user_id)

    # --- the catalogue -------------------------------------------------------------------

    def create_catalogue(self) -> None:
        framework = Framework.objects.default()
        competences = dict(Competence.objects.filter(framework=framework)
                           .values_list("code", "pk"))
        target_groups = dict(TargetGroup.objects.values_list("code", "pk"))
        courses = Course.objects.bulk_create([
            Course(programme=self.programme, code=spec.code, title=spec.title,
                   description=spec.description, format=spec.format,
                   nominal_minutes=spec.nominal_minutes,
                   prerequisite_level=spec.prerequisite_level, materials=spec.materials,
                   is_published=True,
                   municipality_id=(self.municipality_ids.get(spec.municipality)
                                    if spec.municipality else None))
            for spec in CATALOGUE
        ])
        self.courses = {course.code: course for course in courses}
        Course.competences.through.objects.bulk_create(
            Course.competences.through(course_id=self.courses[spec.code].pk,
                                       competence_id=competences[code])
            for spec in CATALOGUE for code in spec.competences if code in competences)
        Course.target_groups.through.objects.bulk_create(
            Course.target_groups.through(course_id=self.courses[spec.code].pk,
                                         targetgroup_id=target_groups[code])
            for spec in CATALOGUE for code in spec.target_groups)

    # --- who takes what ------------------------------------------------------------------

    def choose_courses(self) -> dict[str, list[_Person]]:
        """Course code -> the people who take it, in person order."""
        rng = self.rng
        takers: dict[str, list[_Person]] = {spec.code: [] for spec in CATALOGUE}
        for person in self.people:
            chosen = []
            if person.is_base_staff and rng.random() < TAKES_PART.get(person.municipality, 0.8):
                chosen += [code for code, share in BASE_SHARES.items() if rng.random() < share]
                if not chosen:
                    chosen.append("saker-i-mobilen")
                for code, share in LOCAL_SHARES.items():
                    if self._may_take_local(person, code) and rng.random() < share:
                        chosen.append(code)
            if person.management and TG.OPERATIONAL_MANAGER in person.groups:
                chosen += [code for code, share in MANAGER_SHARES.items()
                           if rng.random() < share]
            if TG.AMBASSADOR in person.groups:
                chosen += ["ombud-lar-ut", "ombudsnatverket", "saker-i-mobilen"]
            if TG.STRATEGIST in person.groups:
                chosen += ["strategisk-digitalisering", "digital-handlingsplan",
                           "leda-digital-forandring"]
            if TG.LOCAL_PROJECT_LEADER in person.groups:
                chosen += ["lokal-projektledning", "redovisa-deltagare", "digital-handlingsplan",
                           "leda-digital-forandring"]
            for code in dict.fromkeys(chosen):  # once each, in order
                takers[code].append(person)
        return takers

    def _may_take_local(self, person: _Person, code: str) -> bool:
        spec = next(s for s in CATALOGUE if s.code == code)
        if person.municipality != spec.municipality:
            return False
        if code == "digitala-nycklar-kungalv":
            return person.unit_name.startswith("Hemtjänst")
        return not person.unit_name.startswith(("Gruppbostad", "Servicebostad", "Boendestöd",
                                                "Daglig", "Personlig"))

    # --- sessions ------------------------------------------------------------------------

    def plan_sessions(self, takers: dict[str, list[_Person]]) -> None:
        for spec in CATALOGUE:
            people = takers[spec.code]
            days = _teaching_days(spec.opens, min(spec.closes, self.last_day))
            if not spec.meetings or not days:
                continue
            if spec.repeat:
                self._plan_repeated(spec, people)
                continue
            for code, cohort, small in self._cohorts(spec, people):
                meetings = spec.small_group_meetings if small else spec.meetings
                capacity = spec.small_group_capacity if small else spec.capacity
                count = max(1, math.ceil(len(cohort) / (capacity * FILL)))
                size = math.ceil(len(cohort) / count)
                for number in range(count):
                    chunk = cohort[number * size:(number + 1) * size]
                    start = days[min(len(days) - 1,
                                     int((number + self.rng.random()) * len(days) / count))]
                    planned = self._session(spec, code, start, meetings, capacity, small,
                                            chunk)
                    self._book(planned, chunk)

    def _cohorts(self, spec: CourseSpec, people: list[_Person]):
        """(municipality code or "", people in seating order, small group?) per cohort.
        Municipal cohorts are ordered by unit so colleagues sit together."""
        if spec.scope == "programme":
            ordered = list(people)
            self.rng.shuffle(ordered)
            return [("", ordered, False)]
        cohorts = []
        for code in sorted(self.municipality_ids):
            here = [p for p in people if p.municipality == code]
            if not here:
                continue
            small: list[_Person] = []
            if spec.small_group_meetings:
                small = self._lowest_scoring(here)
                chosen = {p.pk for p in small}
                here = [p for p in here if p.pk not in chosen]
            units = sorted({p.unit_id or 0 for p in here})
            self.rng.shuffle(units)
            rank = {unit: i for i, unit in enumerate(units)}
            here.sort(key=lambda p: (rank[p.unit_id or 0], p.pk))
            if small:
                cohorts.append((code, sorted(small, key=lambda p: (p.unit_id or 0, p.pk)), True))
            cohorts.append((code, here, False))
        return cohorts

    def _lowest_scoring(self, people: list[_Person]) -> list[_Person]:
        """The small groups: the lowest baseline scores (at random without a baseline)."""
        count = round(len(people) * SMALL_GROUP_SHARE)
        scored = [p for p in people if p.score is not None]
        if len(scored) >= count and scored:
            return sorted(scored, key=lambda p: (p.score, p.pk))[:count]
        return self.rng.sample(people, count)

    def _plan_repeated(self, spec: CourseSpec, people: list[_Person]) -> None:
        """Network meetings: `repeat` sessions spread over the window, each for the group."""
        days = _teaching_days(spec.opens, min(spec.closes, self.last_day))
        for number in range(spec.repeat):
            start = days[int((number + 0.5) * len(days) / spec.repeat)]
            came = [p for p in people if self.rng.random() < NETWORK_ATTENDED]
            planned = self._session(spec, "", start, spec.meetings, spec.capacity, False, came)
            self._book(planned, came)

    def _meetings(self, start: datetime.date, lengths: tuple[int, ...]):
        starts_at = SLOT_STARTS[self.rng.randrange(2)][self.rng.randrange(2)]
        meetings, day = [], start
        for length in lengths:
            while not _is_teaching_day(day):
                day += datetime.timedelta(days=7)
            meetings.append((day, starts_at, _add_minutes(starts_at, length)))
            day += datetime.timedelta(days=7)
        return meetings

    def _session(self, spec: CourseSpec, code: str, start: datetime.date, lengths, capacity,
                 small: bool, people: list[_Person], *, upcoming: bool = False) -> _Session:
        meetings = self._meetings(start, lengths)
        first = meetings[0][0]
        where = self.municipality_names.get(code) or "Hela regionen"
        group = "liten grupp, " if small else ""
        label = f"{where}, {group}vecka {first.isocalendar().week} {first.year}"
        session = Session(
            course=self.courses[spec.code], label=label, capacity=capacity,
            group_level=Session.GroupLevel.SMALL_GROUP if small else Session.GroupLevel.REGULAR,
            municipality_id=self.municipality_ids.get(code) if code else None,
            trainer_id=self._trainer(spec, code, first),
        )
        if spec.meets_on_site:
            session.place = self._place(spec, code, people)
        else:
            self.video_counter += 1
            session.video_url = f"{VIDEO_BASE}/{spec.code}-{self.video_counter}"
        planned = _Session(spec, session, meetings, is_upcoming=upcoming)
        self.sessions.append(planned)
        return planned

    def _place(self, spec: CourseSpec, code: str, people: list[_Person]) -> str:
        if not code:
            return GR_PLACE
        names = [p.unit_name for p in people if p.unit_name]
        if spec.code == "digital-grundkurs" and names:
            most = max(dict.fromkeys(names), key=names.count)
            return f"{most}, personalrummet"
        return f"Lärcentrum {self.municipality_names[code]}"

    def _trainer(self, spec: CourseSpec, code: str, first: datetime.date) -> int | None:
        ambassadors = self.ambassador_trainers.get(code, [])
        if (code and spec.meets_on_site and ambassadors and not spec.municipality
                and first >= datetime.date(2025, 6, 1)):
            return self.rng.choice(ambassadors)
        return self.rng.choice(self.gr_trainers) if self.gr_trainers else None

    def _book(self, planned: _Session, people: list[_Person]) -> None:
        """Give each person a place unless they are booked in the same slot already."""
        slots = planned.slots
        for person in people:
            if len(planned.people) >= planned.session.capacity:
                planned.waiting.append(person)
                continue
            if any(slot in person.busy for slot in slots):
                continue
            person.busy.update(slots)
            planned.people.append(person)

    def plan_upcoming(self, takers: dict[str, list[_Person]]) -> None:
        """The next term's first sessions, for people who have not taken the course yet."""
        took = {code: {p.pk for p in people} for code, people in takers.items()}
        days = _teaching_days(self.today + datetime.timedelta(days=UPCOMING_FROM_DAYS),
                              min(self.today + datetime.timedelta(days=UPCOMING_TO_DAYS),
                                  self.programme.ends_on))
        if not days:
            return
        for spec in CATALOGUE:
            if not spec.upcoming:
                continue
            if TG.BASE_STAFF in spec.target_groups:
                pool = [p for p in self.people if p.is_base_staff and p.pk not in took[spec.code]]
            else:
                pool = [p for p in self.people if p.groups & set(spec.target_groups)
                        and (spec.repeat or p.pk not in took[spec.code])]
            codes = sorted(self.municipality_ids) if spec.scope == "municipality" else [""]
            for code in codes:
                here = [p for p in pool if not code or p.municipality == code]
                for _ in range(spec.upcoming):
                    start = self.rng.choice(days)
                    # Some sessions are full with a waiting list, most have places left.
                    full = self.rng.random() < 0.4
                    wanted = (spec.capacity + self.rng.randint(1, 5) if full
                              else round(spec.capacity * self.rng.uniform(0.4, 0.9)))
                    chosen = self.rng.sample(here, min(wanted, len(here)))
                    planned = self._session(spec, code, start, spec.meetings, spec.capacity,
                                            False, chosen, upcoming=True)
                    self._book(planned, chosen)

    # --- writing -------------------------------------------------------------------------

    def write(self, takers: dict[str, list[_Person]], summary: TrainingSummary) -> None:
        """Insert the planned sessions with their meetings, enrolments and attendance, and
        (for the past) the completions and certifications; add the counts to `summary`."""
        rng = self.rng
        now = timezone.now()
        for planned in self.sessions:
            if not planned.is_upcoming and rng.random() < CANCELLED_SESSION:
                planned.session.status = Session.Status.CANCELLED
        Session.objects.bulk_create([p.session for p in self.sessions], batch_size=BATCH)
        meetings = Meeting.objects.bulk_create(
            [Meeting(session=p.session, date=day, starts_at=start, ends_at=end)
             for p in self.sessions for day, start, end in p.meetings], batch_size=BATCH)
        by_session: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            by_session.setdefault(meeting.session_id, []).append(meeting)

        enrolments, attendance, certifications, completions = [], [], [], []
        attended: dict[tuple[int, int], int] = {}  # (course, person) -> minutes
        for planned in self.sessions:
            session, spec = planned.session, planned.spec
            its_meetings = by_session[session.pk]
            first = its_meetings[0]
            # Sign-ups over the six weeks before the session (up to now), in seating order,
            # so the waiting list comes after the places.
            closed = min(_at(first.date, datetime.time(10)) - datetime.timedelta(days=2), now)
            opened = min(_at(first.date, datetime.time(10)) - datetime.timedelta(days=42),
                         closed - datetime.timedelta(days=7))
            signed_up = planned.people + planned.waiting
            for position, person in enumerate(signed_up):
                waiting = position >= len(planned.people)
                created = opened + (closed - opened) * ((position + rng.random())
                                                        / len(signed_up))
                cancelled = (not waiting and not planned.is_upcoming
                             and rng.random() < CANCELLED_ENROLMENT)
                status = (Enrolment.Status.WAITING if waiting else
                          Enrolment.Status.CANCELLED if cancelled else Enrolment.Status.ENROLLED)
                enrolments.append(Enrolment(
                    session=session, person_id=person.pk, status=status, created_at=created,
                    source=self._source(spec, person),
                    cancelled_at=(created + datetime.timedelta(days=rng.randint(1, 5))
                                  if cancelled else None),
                ))
                if (planned.is_upcoming or waiting or cancelled
                        or session.status == Session.Status.CANCELLED):
                    continue
                minutes = self._attend(planned, its_meetings, person, attendance)
                if minutes:
                    key = (session.course_id, person.pk)
                    attended[key] = attended.get(key, 0) + minutes
                    if rng.random() < CERTIFIED:
                        certifications.append(self._certification(
                            planned, its_meetings, person, minutes, now))
        if not any(planned.is_upcoming for planned in self.sessions):
            completions += self._completions(takers, attended)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        AttendanceCertification.objects.bulk_create(certifications, batch_size=BATCH)
        DistanceCompletion.objects.bulk_create(completions, batch_size=BATCH)
        summary.sessions += len(self.sessions)
        summary.meetings += len(meetings)
        summary.enrolments += len(enrolments)
        summary.waiting += sum(1 for e in enrolments if e.status == Enrolment.Status.WAITING)
        summary.attendance += len(attendance)
        summary.completions += len(completions)
        summary.certifications += len(certifications)

    def _source(self, spec: CourseSpec, person: _Person) -> str:
        if spec.code == "digital-grundkurs" and person.score is not None:
            return Enrolment.Source.GROUP_FORMATION
        if person.management or not person.is_base_staff:
            return Enrolment.Source.COORDINATOR
        return self.rng.choices([Enrolment.Source.MANAGER, Enrolment.Source.SELF,
                                 Enrolment.Source.COORDINATOR], weights=[50, 35, 15])[0]

    def _attend(self, planned: _Session, meetings: list[Meeting], person: _Person,
                rows: list) -> int:
        """Attendance at each meeting; returns the minutes attended."""
        rng = self.rng
        no_show = rng.random() < NO_SHOW
        remote = bool(planned.session.video_url)
        total = 0
        for meeting in meetings:
            length = meeting.minutes
            roll = rng.random()
            if no_show or roll < ABSENT:
                status, minutes = Attendance.Status.ABSENT, 0
            elif roll < ABSENT + PARTIAL:
                status = Attendance.Status.PARTIAL
                minutes = min(length - 5, max(15, 5 * round(length * rng.uniform(0.3, 0.9) / 5)))
            else:
                status, minutes = Attendance.Status.PRESENT, length
            if remote:
                source = rng.choices([Attendance.Source.IMPORT, Attendance.Source.ROLL_CALL],
                                     weights=[65, 35])[0]
            else:
                source = rng.choices([Attendance.Source.ROLL_CALL, Attendance.Source.CHECK_IN],
                                     weights=[75, 25])[0]
            by = None if source == Attendance.Source.CHECK_IN else planned.session.trainer_id
            delay = rng.randint(0, 20) if source == Attendance.Source.CHECK_IN else (
                length + rng.randint(5, 24 * 60))
            rows.append(Attendance(
                meeting=meeting, person_id=person.pk, status=status, minutes=minutes,
                source=source, recorded_by_id=by,
                recorded_at=_at(meeting.date, meeting.starts_at, delay),
            ))
            total += minutes
        return total

    def _certification(self, planned: _Session, meetings: list[Meeting], person: _Person,
                       minutes: int, now: datetime.datetime) -> AttendanceCertification:
        last = meetings[-1]
        when = min(_at(last.date, last.ends_at, self.rng.randint(10, 14 * 24 * 60)), now)
        if self.rng.random() < STALE_CERTIFICATION and minutes > 30:
            minutes -= 30  # certified before a late correction of the attendance
        return AttendanceCertification(
            person_id=person.pk, session=planned.session, certified_minutes=minutes,
            certified_at=when, certified_by_user_id=person.user_id)

    def _completions(self, takers, attended: dict[tuple[int, int], int]) -> list:
        """Self-paced courses by those who took them; blended by those who came."""
        rng = self.rng
        rows = []
        for spec in CATALOGUE:
            course = self.courses[spec.code]
            if spec.format == Format.SELF_PACED:
                days = _teaching_days(spec.opens, min(spec.closes, self.last_day))
                for person in takers[spec.code] if days else []:
                    if rng.random() < SELF_PACED_COMPLETED:
                        rows.append(self._completion(course, person, rng.choice(days)))
            elif spec.format == Format.BLENDED:
                last_meeting = {}
                for planned in self.sessions:
                    if planned.spec is spec and not planned.is_upcoming:
                        for person in planned.people:
                            last_meeting[person.pk] = planned.meetings[-1][0]
                for person in takers[spec.code]:
                    if (course.pk, person.pk) in attended and rng.random() < BLENDED_COMPLETED:
                        day = min(last_meeting[person.pk]
                                  + datetime.timedelta(days=rng.randint(2, 30)), self.last_day)
                        rows.append(self._completion(course, person, day))
        return rows

    def _completion(self, course: Course, person: _Person, day: datetime.date):
        confirmed_as = self.rng.choices([DistanceCompletion.ConfirmedAs.SELF,
                                         DistanceCompletion.ConfirmedAs.MANAGER],
                                        weights=[80, 20])[0]
        return DistanceCompletion(
            course=course, person_id=person.pk, completed_on=day, confirmed_as=confirmed_as,
            confirmed_by_id=person.user_id if confirmed_as == "self" else None)


@transaction.atomic
def generate_training(programme: Programme, *, seed: int) -> TrainingSummary:
    """Create the demo's catalogue, sessions, enrolments, attendance, completions and
    certifications for `programme` (after the region, its surveys and its log-ins)."""
    planner = _Planner(programme, seed)
    planner.load_people()
    planner.create_catalogue()
    summary = TrainingSummary(courses=len(planner.courses))
    takers = planner.choose_courses()
    planner.plan_sessions(takers)
    planner.write(takers, summary)
    # The next term is dated from today: its own random stream, so the past stays the same
    # whatever day the demo is made.
    planner.sessions, planner.rng = [], random.Random(f"{seed}-training-next-term")
    planner.plan_upcoming(takers)
    planner.write(takers, summary)
    return summary
