"""Self-assessment data for the demo region: a baseline, a follow-up and a managers' round.

What the demo shows, so results pages have something true-to-life to say:
- BASELINE (closed, spring 2025, pseudonymous): the staff questionnaire to all base staff,
  about 80 % answered (a little more in some municipalities, a little less in others).
  "Safety" and "Problem solving" are the weakest areas; "don't know" is fairly common.
- FOLLOW-UP (open now, baseline = the round above): the same questionnaire, 60–70 % answered so
  far, most of them people who also answered the baseline, so the two can be paired. Most
  municipalities improved clearly, Stenungsund hardly at all; undersköterskor and vårdbiträden
  improved more than sjuksköterskor (who started higher); a few people rate themselves lower
  than before; "don't know" is rarer. Some people have started but not finished.
- MANAGERS (closed, spring 2025): the manager questionnaire to unit and area managers.
- MANAGERS' FOLLOW-UP (open now, baseline = the managers' round): the same questionnaire.
- The follow-up items (asked in follow-up rounds only) tell the original project's story:
  about 60 % of the staff who answer yes or no say their digital knowledge has become
  stronger (more where the measured improvement is larger, fewer in Stenungsund), about
  70 % of the managers have changed at least one routine to a digital or mobile way of
  working and about 75 % lead a digitalised workplace better; some answer "Vet inte". They
  are drawn from random.Random objects of their own, so the other answers stay as they were.

The rounds are invited through the product's service (`invite_population`), so invitations
have real secrets; responses and answers are written with bulk inserts. Scores come from a
small model (person's level + occupation + age + area + noise) driven by a `random.Random`
seeded from the generator's seed, so two runs give the same answers (the secrets differ: they
are random by design). Follow-up dates are relative to today, so that round is always open.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone

from modig.organisation.models import Employment, Person, TargetGroup
from modig.surveys import tokens
from modig.surveys.invitations import invite_population
from modig.surveys.models import Answer, Invitation, Item, Questionnaire, Response, Round

BASELINE_OPENS = datetime.date(2025, 2, 3)
BASELINE_CLOSES = datetime.date(2025, 3, 2)
FOLLOW_UP_OPENED_DAYS_AGO = 16
FOLLOW_UP_DAYS_LEFT = 19
BATCH = 2000

# Share of invited base staff who answered the baseline, by municipality (about 80 % overall).
BASELINE_ANSWERED = {"1481": 0.82, "1482": 0.78, "1402": 0.84, "1401": 0.80, "1440": 0.83,
                     "1415": 0.76, "1419": 0.79}
# Of those, the share who have answered the follow-up so far; and of the others.
FOLLOW_UP_IF_ANSWERED_BASELINE = 0.75
FOLLOW_UP_IF_NOT = 0.40
STARTED_NOT_FINISHED = 0.05  # of the rest in the open round: a response in progress
MANAGERS_ANSWERED = 0.85
MANAGERS_FOLLOW_UP_ANSWERED = 0.75

# Follow-up items (surveys.models.OUTCOME_*: 3 "yes, a lot", 2 "yes, a little", 1 "no",
# 0 "don't know"). Staff: the chance of "yes" grows with the person's improvement.
KNOWLEDGE_YES = 0.56  # at the average improvement
AVERAGE_IMPROVEMENT = 0.32
KNOWLEDGE_YES_PER_STEP = 0.6  # per scale step of improvement above or below the average
ROUTINE_YES = 0.70
LEADERSHIP_YES = 0.75
FOLLOW_UP_ITEM_DONT_KNOW = 0.08
FOLLOW_UP_ITEM_SKIPPED = 0.03

# Improvement between baseline and follow-up (scale steps) by municipality: the programme
# worked well in most places; Stenungsund started its training late.
IMPROVEMENT_BY_MUNICIPALITY = {"1481": 0.45, "1482": 0.35, "1402": 0.25, "1401": 0.40,
                               "1440": 0.50, "1415": -0.10, "1419": 0.20}
# Level and improvement by occupation (SSYK): nurses start higher and gain less.
LEVEL_BY_OCCUPATION = {"2221": 0.45, "3411": 0.25, "5321": 0.0, "5322": 0.0, "5330": -0.30,
                       "5342": -0.05, "5343": -0.10, "5349": -0.20}
IMPROVEMENT_BY_OCCUPATION = {"2221": -0.20, "3411": 0.0, "5321": 0.15, "5322": 0.15,
                             "5330": 0.15, "5342": 0.0, "5343": 0.0, "5349": 0.05}
# Level and improvement by DigComp area code: safety and problem solving lowest at first, and
# the training put weight on them.
LEVEL_BY_AREA = {"1": 0.15, "2": 0.35, "3": -0.20, "4": -0.55, "5": -0.45}
IMPROVEMENT_BY_AREA = {"1": 0.0, "2": 0.0, "3": 0.05, "4": 0.20, "5": 0.15}
BASE_LEVEL = 2.9
DONT_KNOW_BASELINE = 0.08
DONT_KNOW_FOLLOW_UP = 0.035
SKIPPED_ITEM = 0.01  # an item left unanswered now and then (pages do not force an answer)


@dataclass
class SurveySummary:
    """What was made, for the command to print and tests to check."""

    rounds: list[Round] = field(default_factory=list)
    invitations: int = 0
    responses: int = 0
    answers: int = 0


@dataclass
class _Respondent:
    invitation: Invitation
    pseudonym: object
    occupation_id: int | None
    ssyk: str
    staff_category: str
    target_group_id: int | None
    started_on: datetime.date | None
    birth_year: int
    level: float = 0.0  # the person's own level relative to their group
    gain: float = 0.0  # their own improvement relative to their group


def generate_surveys(programme, *, seed: int) -> SurveySummary:
    """Create the demo's rounds, invitations, responses and answers for `programme`."""
    from modig.surveys.questionnaires import default_questionnaire, freeze

    rng = random.Random(f"{seed}-surveys")
    summary = SurveySummary()
    staff_questionnaire = freeze(default_questionnaire("staff"))
    manager_questionnaire = freeze(default_questionnaire("manager"))
    groups = {g.code: g for g in TargetGroup.objects.all()}
    today = timezone.localdate()
    with transaction.atomic():
        baseline = _round(programme, staff_questionnaire, "Nulägesmätning våren 2025",
                          Round.Kind.BASELINE, BASELINE_OPENS, BASELINE_CLOSES,
                          target_groups=[groups[TargetGroup.Code.BASE_STAFF]])
        follow_up = _round(programme, staff_questionnaire, "Uppföljning hösten 2026",
                           Round.Kind.FOLLOW_UP,
                           today - datetime.timedelta(days=FOLLOW_UP_OPENED_DAYS_AGO),
                           today + datetime.timedelta(days=FOLLOW_UP_DAYS_LEFT),
                           baseline=baseline,
                           target_groups=[groups[TargetGroup.Code.BASE_STAFF]])
        managers = _round(programme, manager_questionnaire, "Chefers nulägesmätning våren 2025",
                          Round.Kind.BASELINE, BASELINE_OPENS, BASELINE_CLOSES,
                          target_groups=[groups[TargetGroup.Code.OPERATIONAL_MANAGER],
                                         groups[TargetGroup.Code.STRATEGIST]])
        summary.rounds = [baseline, follow_up, managers]
        for round_ in summary.rounds:
            summary.invitations += invite_population(round_)

        items = _rating_items(staff_questionnaire)
        people = _respondents(baseline)
        for respondent in people.values():
            respondent.level = rng.gauss(0, 0.55)
            respondent.gain = rng.gauss(0, 0.30)
        answered_baseline = set()
        rows = []
        for person_id, respondent in people.items():
            code = respondent.invitation.municipality.code
            if rng.random() < BASELINE_ANSWERED.get(code, 0.8):
                answered_baseline.add(person_id)
                rows.append(_answers(rng, respondent, items, follow_up=False))
        _write(baseline, people, rows, rng, summary)

        people_now = _respondents(follow_up)
        rows, in_progress = [], []
        for person_id, respondent in people_now.items():
            before = people.get(person_id)
            respondent.level = before.level if before else rng.gauss(0, 0.55)
            respondent.gain = before.gain if before else rng.gauss(0, 0.30)
            share = (FOLLOW_UP_IF_ANSWERED_BASELINE if person_id in answered_baseline
                     else FOLLOW_UP_IF_NOT)
            roll = rng.random()
            if roll < share:
                rows.append(_answers(rng, respondent, items, follow_up=True))
            elif roll < share + STARTED_NOT_FINISHED:
                in_progress.append(_answers(rng, respondent, items, follow_up=True))
        items_rng = random.Random(f"{seed}-follow-up-items")
        _write(follow_up, people_now, rows, rng, summary,
               follow_up_answers=lambda respondent: _staff_follow_up(items_rng, respondent))
        _write(follow_up, people_now, in_progress, rng, summary, submitted=False)

        manager_items = _rating_items(manager_questionnaire)
        leaders = _respondents(managers)
        rows = []
        for respondent in leaders.values():
            respondent.level = rng.gauss(0.3, 0.5)
            if rng.random() < MANAGERS_ANSWERED:
                rows.append(_answers(rng, respondent, manager_items, follow_up=False))
        _write(managers, leaders, rows, rng, summary)

        managers_now = _round(
            programme, manager_questionnaire, "Chefers uppföljning hösten 2026",
            Round.Kind.FOLLOW_UP, follow_up.opens_on, follow_up.closes_on, baseline=managers,
            target_groups=[groups[TargetGroup.Code.OPERATIONAL_MANAGER],
                           groups[TargetGroup.Code.STRATEGIST]])
        summary.rounds.append(managers_now)
        summary.invitations += invite_population(managers_now)
        rows = []
        leaders_now = _respondents(managers_now)
        managers_rng = random.Random(f"{seed}-managers-follow-up")
        for person_id, respondent in leaders_now.items():
            before = leaders.get(person_id)
            respondent.level = before.level if before else managers_rng.gauss(0.3, 0.5)
            respondent.gain = managers_rng.gauss(0, 0.25)
            if managers_rng.random() < MANAGERS_FOLLOW_UP_ANSWERED:
                rows.append(_answers(managers_rng, respondent, manager_items, follow_up=True))
        _write(managers_now, leaders_now, rows, managers_rng, summary,
               follow_up_answers=lambda respondent: _manager_follow_up(managers_rng))
    return summary


def _yes_no(rng: random.Random, yes: float, *, much: float = 0.4) -> int | None:
    """One follow-up item's answer: skipped (None) now and then, "don't know" (0) some times,
    else yes (3 a lot / 2 a little) with chance `yes`, or no (1)."""
    roll = rng.random()
    if roll < FOLLOW_UP_ITEM_SKIPPED:
        return None
    if roll < FOLLOW_UP_ITEM_SKIPPED + FOLLOW_UP_ITEM_DONT_KNOW:
        return 0
    if rng.random() < yes:
        return 3 if rng.random() < much else 2
    return 1


def _staff_follow_up(rng: random.Random, respondent: _Respondent) -> dict:
    """A staff member's follow-up item: "yes" more likely the more they improved."""
    code = respondent.invitation.municipality.code
    improvement = (IMPROVEMENT_BY_MUNICIPALITY.get(code, 0.3)
                   + IMPROVEMENT_BY_OCCUPATION.get(respondent.ssyk, 0.0) + respondent.gain)
    yes = min(0.95, max(0.10, KNOWLEDGE_YES
                        + KNOWLEDGE_YES_PER_STEP * (improvement - AVERAGE_IMPROVEMENT)))
    return {"knowledge_gain": _yes_no(rng, yes, much=min(0.6, max(0.2, 0.3 + improvement)))}


def _manager_follow_up(rng: random.Random) -> dict:
    return {"routine_changed": _yes_no(rng, ROUTINE_YES, much=0.35),
            "leadership_gain": _yes_no(rng, LEADERSHIP_YES)}


def _round(programme, questionnaire: Questionnaire, name: str, kind: str,
           opens_on: datetime.date, closes_on: datetime.date, *, target_groups,
           baseline: Round | None = None) -> Round:
    """A published pseudonymous round, its invitations sent on its first day."""
    round_ = Round.objects.create(
        programme=programme, questionnaire=questionnaire, name=name, kind=kind,
        anonymity=Round.Anonymity.PSEUDONYMOUS, baseline=baseline, opens_on=opens_on,
        closes_on=closes_on, min_group_size=programme.min_group_size, reminder_days=7,
    )
    round_.target_groups.set(target_groups)
    round_.published_at = _at(opens_on - datetime.timedelta(days=3), 9)
    round_.save(update_fields=["published_at"])
    return round_


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _rating_items(questionnaire: Questionnaire) -> list[tuple[int, str]]:
    """(item id, DigComp area code) of the rating items, in questionnaire order."""
    return list(questionnaire.items.filter(kind=Item.Kind.RATING)
                .order_by("position", "pk").values_list("pk", "competence__area__code"))


def _respondents(round_: Round) -> dict[int, _Respondent]:
    """Everyone invited to the round with what the response copies from their employment,
    in person order (so the random draws always meet the same people)."""
    invitations = list(round_.invitations.select_related("municipality").order_by("person_id"))
    person_ids = [i.person_id for i in invitations]
    people = {pk: (pseudonym, born) for pk, pseudonym, born in
              Person.objects.filter(pk__in=person_ids)
              .values_list("pk", "pseudonym", "birth_year")}
    employments = {}
    for row in (Employment.objects.filter(person_id__in=person_ids, is_active=True)
                .order_by("person_id", "pk")
                .values("person_id", "municipality_id", "occupation_id",
                        "occupation__ssyk_code", "staff_category", "started_on", "pk")):
        employments.setdefault((row["person_id"], row["municipality_id"]), row)
    first_group = dict(Employment.target_groups.through.objects
                       .filter(employment_id__in=[e["pk"] for e in employments.values()])
                       .values("employment_id").annotate(group=Min("targetgroup_id"))
                       .values_list("employment_id", "group"))
    result = {}
    for invitation in invitations:
        employment = employments.get((invitation.person_id, invitation.municipality_id), {})
        pseudonym, born = people[invitation.person_id]
        result[invitation.person_id] = _Respondent(
            invitation=invitation, pseudonym=pseudonym,
            occupation_id=employment.get("occupation_id"),
            ssyk=employment.get("occupation__ssyk_code") or "",
            staff_category=employment.get("staff_category") or "",
            target_group_id=first_group.get(employment.get("pk")),
            started_on=employment.get("started_on"), birth_year=born,
        )
    return result


def _answers(rng: random.Random, respondent: _Respondent, items, *,
             follow_up: bool) -> tuple[_Respondent, list[tuple[int, int]]]:
    """The person's (item id, value) pairs: 1–5, 0 for "don't know", some items skipped."""
    code = respondent.invitation.municipality.code
    # Younger staff rate themselves a little higher; the effect is small on purpose.
    age = 2025 - respondent.birth_year
    level = (BASE_LEVEL + respondent.level + LEVEL_BY_OCCUPATION.get(respondent.ssyk, 0.0)
             - (age - 42) * 0.012)
    dont_know = DONT_KNOW_FOLLOW_UP if follow_up else DONT_KNOW_BASELINE
    answers = []
    skips_left = len(items) // 10  # a submitted response answers at least 90 % of the items
    for item_id, area in items:
        if skips_left and rng.random() < SKIPPED_ITEM:
            skips_left -= 1
            continue
        # Content creation and problem solving are the areas people most often find
        # "not relevant" for their job.
        if rng.random() < dont_know * (1.5 if area in ("3", "5") else 1.0):
            answers.append((item_id, 0))
            continue
        mean = level + LEVEL_BY_AREA.get(area, 0.0)
        if follow_up:
            mean += (IMPROVEMENT_BY_MUNICIPALITY.get(code, 0.3)
                     + IMPROVEMENT_BY_OCCUPATION.get(respondent.ssyk, 0.0)
                     + IMPROVEMENT_BY_AREA.get(area, 0.0) + respondent.gain)
        value = round(rng.gauss(mean, 0.7))
        answers.append((item_id, min(5, max(1, value))))
    return respondent, answers


def _years_in_care(started_on: datetime.date | None, today: datetime.date) -> int | None:
    """The answer to "how long have you worked in care" (1: < 1 year … 4: > 15 years),
    from the current employment's start (a lower bound, good enough for a demo)."""
    if started_on is None:
        return None
    years = (today - started_on).days / 365.25
    return 1 if years < 1 else 2 if years <= 5 else 3 if years <= 15 else 4


def _write(round_: Round, people, rows, rng: random.Random, summary: SurveySummary, *,
           submitted: bool = True, follow_up_answers=None) -> None:
    """Insert the responses and their answers in batches; mark the invitations answered.
    `follow_up_answers(respondent)` gives the follow-up items' response columns."""
    now = timezone.now()
    last_day = min(round_.closes_on, timezone.localdate())
    span = max((last_day - round_.opens_on).days, 0)
    responses, answer_lists = [], []
    for respondent, answers in rows:
        invitation = respondent.invitation
        day = round_.opens_on + datetime.timedelta(days=int(span * rng.random() ** 1.6))
        when = min(_at(day, rng.randint(7, 21), rng.randint(0, 59)), now)
        responses.append(Response(
            round=round_, invitation=invitation, respondent_key=respondent.pseudonym,
            municipality_id=invitation.municipality_id, unit_id=invitation.unit_id,
            occupation_id=respondent.occupation_id, target_group_id=respondent.target_group_id,
            staff_category=respondent.staff_category,
            years_in_care=_years_in_care(respondent.started_on, round_.opens_on),
            digital_use=rng.choices([5, 4, 3, 2, 1], weights=[35, 35, 18, 9, 3])[0],
            current_page=0 if submitted else rng.randint(1, 3),
            submitted_at=when if submitted else None,
            **(follow_up_answers(respondent) if follow_up_answers else {}),
        ))
        if not submitted:  # only the first pages are saved
            answers = answers[:len(answers) // 3]
        answer_lists.append(answers)
    Response.objects.bulk_create(responses, batch_size=BATCH)
    # Answers as plain parameterised batches: 100,000 model objects through bulk_create
    # took 5 s of the demo's time, this takes a fraction of it.
    rows = [(response.pk, item_id, value)
            for response, answers in zip(responses, answer_lists, strict=True)
            for item_id, value in answers]
    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 10):
            cursor.executemany(
                f"INSERT INTO {table} (response_id, item_id, value) VALUES (%s, %s, %s)",  # noqa: S608
                rows[start:start + BATCH * 10],
            )
    # The invitations answered: one UPDATE … FROM the responses just written.
    Invitation.objects.filter(round=round_, response__submitted_at__isnull=False,
                              submitted_at__isnull=True).update(
        submitted_at=Subquery(Response.objects.filter(invitation=OuterRef("pk"))
                              .values("submitted_at")[:1]))
    # Invitations went out on the first morning. started_at is set on insert (auto_now_add):
    # move it to a quarter of an hour before the submit, as the story goes.
    Invitation.objects.filter(round=round_, sent_at__isnull=True).update(
        sent_at=_at(round_.opens_on, 8))
    Response.objects.filter(round=round_, submitted_at__isnull=False).update(
        started_at=F("submitted_at") - datetime.timedelta(minutes=14),
        updated_at=F("submitted_at"))
    summary.responses += len(responses)
    summary.answers += sum(len(a) for a in answer_lists)


def try_it_out(base_url: str = "http://127.0.0.1:8000") -> tuple[str, str] | None:
    """Where a visitor can answer the open follow-up round as a demo respondent: a link and a
    short code of two invitations nobody has started. None when there is no such round."""
    round_ = (Round.objects.open_now().filter(kind=Round.Kind.FOLLOW_UP)
              .order_by("pk").first())
    if round_ is None:
        return None
    fresh = list(round_.invitations.filter(submitted_at__isnull=True, opted_out_at__isnull=True,
                                           response__isnull=True).order_by("pk")[:2])
    if len(fresh) < 2:
        return None
    link = f"{base_url}/s/{tokens.link_token(fresh[0].salt)}/"
    code = tokens.display_short_code(tokens.short_code(fresh[1].salt))
    return link, code
