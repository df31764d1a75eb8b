"""A small region with known answers for the outcome figures (minimum group size 3).

Programme 2025–2027 (targets: 10 people, 8 base staff, 2 managers, 20 hours). People and birth
years (age at the programme start, 2025): Anna, Eva, Erik (Ale, 1990 → 30–39), Bertil (Ale,
1970 → 50–59, the only man), Dana (Ale and Tjörn, managers' category in Tjörn, 1990), Cecilia,
Tove, Tor (Tjörn, 1960 → 60+), Pia (Ale, never trained).

Training: on-site course "Dokumentation", one session, meetings on 2 March 2026 (150 min) and
9 March 2026 (120 min): Anna, Eva, Erik present at both (270 min each), Bertil partly present
60 min then absent, Dana absent. Self-paced "Appar" (45 min) completed on 1 April 2026 by Dana,
Cecilia, Tove and Tor.
Totals: 8 people, 1,050 minutes. Ale: 5 people, 915 min. Tjörn: 4 people, 180 min.

Surveys (pseudonymous, minimum 3): baseline → follow-up means
Anna 2 → 3 (+1, improved), Eva 3 → 3.5 (+0.5, improved: the margin counts), Erik 3 → 3,
Bertil 4 → 3, Cecilia 2 → 4 (improved), Tove 2 → 2, Tor 3 → 3: 7 pairs, 3 improved.
Dana answered the baseline only, one stranger the follow-up only: unpaired, left out.
Ale 4 pairs (2 improved), Tjörn 3 (1 improved). Hours bands: 4–8 h Anna, Eva, Erik (2 of 3);
under 4 h Bertil, Cecilia, Tove, Tor (1 of 4).
"""

import datetime
import uuid

from modig.organisation.models import Employment, Person, StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.surveys.models import Round
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import rating_items, submit
from modig.training import services
from modig.training.models import Course
from modig.training.tests.factories import make_course, make_session, meeting


def _attend(session, person, statuses):
    services.enrol(session, person, by=None, source="self")
    for the_meeting, (status, minutes) in zip(session.meetings.all(), statuses, strict=False):
        services.record_attendance(the_meeting, person, status=status, minutes=minutes,
                                   by=None, source="manual")


def build(region):
    programme = region.programme
    programme.min_group_size = 3
    programme.target_people_total = 10
    programme.target_people_base = 8
    programme.target_people_management = 2
    programme.target_training_hours = 20
    programme.save()
    Person.objects.filter(pk__in=[region.anna.pk, region.dual.pk]).update(birth_year=1990)
    Person.objects.filter(pk=region.bertil.pk).update(birth_year=1970)
    Person.objects.filter(pk=region.cecilia.pk).update(birth_year=1960)
    Employment.objects.filter(person=region.dual, municipality=region.tjorn).update(
        staff_category=StaffCategory.MANAGEMENT)
    people = {"anna": region.anna, "bertil": region.bertil, "cecilia": region.cecilia,
              "dana": region.dual}
    for key, first, municipality, unit, born in (
            ("eva", "Eva", region.ale, region.vikadamm, 1990),
            ("erik", "Erik", region.ale, region.vikadamm, 1990),
            ("tove", "Tove", region.tjorn, region.solgarden, 1960),
            ("tor", "Tor", region.tjorn, region.solgarden, 1960),
            ("pia", "Pia", region.ale, region.vikadamm, 1990)):
        person = PersonFactory(first_name=first, last_name="Test", birth_year=born)
        EmploymentFactory(person=person, municipality=municipality, units=[unit])
        people[key] = person
    for person in people.values():
        person.refresh_from_db()
    region.people = people

    course = make_course(programme, title="Dokumentation")
    session = make_session(course, meetings=[meeting("2026-03-02", "09:00", "11:30"),
                                             meeting("2026-03-09", "09:00", "11:00")])
    for key in ("anna", "eva", "erik"):
        _attend(session, people[key], [("present", None), ("present", None)])
    _attend(session, people["bertil"], [("partial", 60), ("absent", None)])
    _attend(session, people["dana"], [("absent", None)])
    apps = make_course(programme, title="Appar", format=Course.Format.SELF_PACED,
                       nominal_minutes=45)
    for key in ("dana", "cecilia", "tove", "tor"):
        services.complete_distance_course(apps, people[key],
                                          completed_on=datetime.date(2026, 4, 1), by=None,
                                          confirmed_as="self")
    return region


def _ratings(round_, mean: float) -> dict:
    """Per-item values whose mean (over rated items) is `mean` (a whole or half step)."""
    items = rating_items(round_)
    low = int(mean)
    values = {item.pk: low for item in items}
    if mean != low:
        for item in items[: len(items) // 2]:
            values[item.pk] = low + 1
    return values


def build_surveys(region):
    questionnaire = make_questionnaire()
    baseline = make_round(region.programme, questionnaire, min_group_size=3,
                          opens_on=datetime.date(2025, 2, 1),
                          closes_on=datetime.date(2025, 3, 1))
    follow_up = make_round(region.programme, questionnaire, name="Uppföljning",
                           kind=Round.Kind.FOLLOW_UP, baseline=baseline, min_group_size=3,
                           opens_on=datetime.date(2026, 10, 1),
                           closes_on=datetime.date(2026, 11, 1))
    people = region.people
    pairs = {"anna": (2, 3), "eva": (3, 3.5), "erik": (3, 3), "bertil": (4, 3),
             "cecilia": (2, 4), "tove": (2, 2), "tor": (3, 3)}
    for key, (before, after) in pairs.items():
        person = people[key]
        municipality = person.employments.first().municipality
        submit(baseline, municipality=municipality, respondent_key=person.pseudonym,
               values=_ratings(baseline, before))
        values = _ratings(follow_up, after)
        if key == "anna":
            # "Don't know" (0) is left out of the mean: still 3.
            values[rating_items(follow_up)[0].pk] = 0
        submit(follow_up, municipality=municipality, respondent_key=person.pseudonym,
               values=values)
    submit(baseline, municipality=region.ale, respondent_key=people["dana"].pseudonym,
           value=1)
    submit(follow_up, municipality=region.ale, respondent_key=uuid.uuid4(), value=5)
    return baseline, follow_up
