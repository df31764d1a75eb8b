"""The final report's sections on small regions with known figures: the goal sentences, the
municipalities, changed routines, the self-reported section, the ambassadors' work (with a
small group hidden) and the action plans' status."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone, translation

from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.outcomes.figures import Proportion
from modig.plans.models import Action, ActionPlan, Goal, RoutineChange
from modig.reports import final_sections
from modig.reports.final_sections import final_document
from modig.reports.tests.conftest import complete, follow_up_round
from modig.surveys.models import Item


def staff(region, municipality, unit, count, *, category=StaffCategory.BASE, minutes=60,
          prefix="S"):
    people = []
    for index in range(count):
        person = PersonFactory()
        EmploymentFactory(person=person, municipality=municipality, units=[unit],
                          employee_id=f"X{prefix}{index}", staff_category=category)
        if minutes:
            complete(region, person, "2026-03-10", minutes)
        people.append(person)
    return people


def targets(region):
    region.programme.target_people_total = 10
    region.programme.target_people_base = 8
    region.programme.target_people_management = 2
    region.programme.target_training_hours = 20
    region.programme.save()


def section(document, anchor):
    return next(s for s in document.sections if s.anchor == anchor)


def test_goal_sentences_and_municipalities(region):
    targets(region)
    staff(region, region.ale, region.vikadamm, 6, prefix="A")
    staff(region, region.tjorn, region.solgarden, 5, prefix="T")
    with translation.override("sv"):
        document = final_document(region.programme)
    assert document.headline == [
        "Målet nåddes: 11 av 10 utbildade personer (110 %).",
        "Målet nåddes: 11 av 8 utbildade i baspersonalen (138 %).",
        "Målet nåddes inte: 0 av 2 utbildade chefer (0 %).",
        "Målet nåddes inte: 11 av 20 utbildningstimmar (55 %).",
    ]
    assert section(document, "goals").text == ["2 av programmets 4 mål nåddes."]
    municipalities = section(document, "municipalities")
    assert municipalities.tables[0].rows == [
        ["Ale", "6", "6"], ["Tjörn", "5", "5"], ["Hela programmet", "11", "11"]]
    people, hours = municipalities.charts
    assert [(row.label, row.value) for row in people.rows] == [("Ale", 6), ("Tjörn", 5)]
    assert [(row.label, row.value) for row in hours.rows] == [("Ale", 6), ("Tjörn", 5)]
    assert people.rows[0].width == 100.0  # the largest bar fills the chart


def test_a_small_municipality_is_hidden_with_its_sibling(region):
    targets(region)
    staff(region, region.ale, region.vikadamm, 6, prefix="A")
    staff(region, region.tjorn, region.solgarden, 2, prefix="T")
    with translation.override("sv"):
        document = final_document(region.programme)
    # Tjörn has 2 (< 5); Ale is hidden too, else 8 - 6 gives Tjörn's 2.
    assert section(document, "municipalities").tables[0].rows == [
        ["Ale", "–", "–"], ["Tjörn", "–", "–"], ["Hela programmet", "8", "8"]]


def test_changed_routines_with_denominator_and_interval(region):
    managers = staff(region, region.ale, region.vikadamm, 5,
                     category=StaffCategory.MANAGEMENT, minutes=0, prefix="M")
    for manager in managers:
        RoutineChange.objects.create(manager=manager, unit=region.vikadamm,
                                     changed_on=datetime.date(2026, 2, 1), routine="APT",
                                     way=RoutineChange.Way.DIGITAL)
    with translation.override("sv"):
        outcomes = section(final_document(region.programme), "outcomes")
    routines = outcomes.charts[-1]
    assert [(row.label, row.text, row.extra) for row in routines.rows] == [
        ("Chefer", "100 %", ["5 / 5", "57 % – 100 %"])]
    assert outcomes.notes[-1].startswith("Ändrade rutiner: chefer som har skrivit in")
    assert "Wilson" in outcomes.method


def test_self_reported_section_is_empty_until_rows_are_wired(region, monkeypatch):
    with translation.override("sv"):
        reported = section(final_document(region.programme), "self-reported")
        assert reported.heading == "Självskattad förbättring och chefernas resultat"
        assert reported.text == ["Inga uppgifter ännu."]
        monkeypatch.setattr(final_sections, "reported_rows",
                            lambda programme: [("Baspersonal", Proportion(None, 6, 10))])
        reported = section(final_document(region.programme), "self-reported")
    assert reported.text == []
    assert [(row.label, row.text, row.extra[0]) for row in reported.charts[0].rows] == [
        ("Baspersonal", "60 %", "6 / 10")]


def test_self_reported_rows_come_from_the_latest_follow_up_rounds(region):
    region.programme.min_group_size = 3
    region.programme.save()
    knowledge = Item.OutcomeField.KNOWLEDGE_GAIN
    # Ale base staff: yes 3 (3, 3, 2), no 2 (1, 1), one "don't know" (0) → 3 of 5.
    # Tjörn managers: yes 3 (3, 2, 2), no 1 → 3 of 4. All: 6 of 9.
    follow_up_round(region, (knowledge,), [
        *[(region.ale, region.vikadamm, StaffCategory.BASE, {"knowledge_gain": v})
          for v in (3, 3, 2, 1, 1, 0)],
        *[(region.tjorn, region.solgarden, StaffCategory.MANAGEMENT, {"knowledge_gain": v})
          for v in (3, 2, 2, 1)]])
    # Managers: routine yes 4 of 5 (one "don't know"); leadership yes 2 of 5.
    managers = (Item.OutcomeField.ROUTINE_CHANGED, Item.OutcomeField.LEADERSHIP_GAIN)
    follow_up_round(region, managers, [
        (region.ale, region.vikadamm, StaffCategory.MANAGEMENT,
         {"routine_changed": routine, "leadership_gain": leadership})
        for routine, leadership in ((3, 3), (2, 2), (2, 1), (3, 1), (1, 1), (0, None))])
    with translation.override("sv"):
        rows = [(label, p.numerator, p.denominator)
                for label, p in final_sections.reported_rows(region.programme)]
        document = section(final_document(region.programme), "self-reported")
    assert [row[1:] for row in rows] == [(6, 9), (3, 5), (4, 5), (2, 5)]
    assert rows[1][0].startswith("Baspersonal")
    assert document.text == []
    assert [row.extra[0] for row in document.charts[0].rows] == ["6 / 9", "3 / 5", "4 / 5",
                                                                  "2 / 5"]


def test_ambassadors_work_hides_few_people_coached(region):
    ambassadors = staff(region, region.ale, region.vikadamm, 5, minutes=0, prefix="O")
    appointments = []
    for person in ambassadors:
        appointment = Appointment.objects.create(person=person, municipality=region.ale,
                                                 starts_on=datetime.date(2025, 3, 1))
        appointment.units.set([region.vikadamm])
        appointments.append(appointment)
    for day in (datetime.date(2026, 2, 2), datetime.date(2026, 2, 9)):
        activity = CoachingActivity.objects.create(
            appointment=appointments[0], date=day, unit=region.vikadamm,
            format=CoachingActivity.Format.ONE_TO_ONE, minutes=90)
        for person in (region.anna, region.bertil):
            CoachingParticipant.objects.create(activity=activity, person=person)
    with translation.override("sv"):
        work = section(final_document(region.programme), "ambassadors")
    # Ale: 5 ambassadors, Vikadamm covered; Tjörn: Solgården uncovered. Two people coached
    # (fewer than 5): hidden, and so is everything in that column, Tjörn's 0 too.
    assert work.tables[0].rows == [
        ["Ale", "5", "1", "0", "2", "3", "För få för att visa", "0"],
        ["Tjörn", "0", "0", "1", "0", "0", "För få för att visa", "0"],
        ["Hela programmet", "5", "1", "1", "2", "3", "För få för att visa", "0"],
    ]
    assert work.text == ["1 av 2 arbetsplatser har ett digitaliseringsombud. Ombuden skrev in "
                         "2 handledningar, 3 timmar totalt."]


def test_ambassadors_work_is_six_queries_whatever_the_municipalities(
        region, django_assert_max_num_queries):
    from modig.ambassadors import queries as ambassador_queries
    from modig.organisation.models import Municipality

    for code in ("1401", "1402", "1407"):
        region.programme.municipalities.add(
            Municipality.objects.get_or_create(code=code, defaults={"name": f"K{code}"})[0])
    with django_assert_max_num_queries(7):  # the municipalities, then six grouped queries
        work = ambassador_queries.programme_work(region.programme)
    names = [w.municipality.name for w in work]
    assert len(work) == 5 and names == sorted(names) and "Ale" in names


def test_action_plans_by_status(region):
    today = timezone.localdate()
    plan = ActionPlan.objects.create(municipality=region.ale, title="Plan",
                                     starts_on=datetime.date(2025, 1, 1),
                                     ends_on=datetime.date(2027, 12, 31),
                                     status=ActionPlan.Status.ADOPTED)
    goal = Goal.objects.create(plan=plan, text="Alla kan logga in")
    later, earlier = today + datetime.timedelta(days=30), today - datetime.timedelta(days=3)
    for status, due_on in [(Action.Status.DONE, earlier), (Action.Status.IN_PROGRESS, later),
                           (Action.Status.IN_PROGRESS, earlier),
                           (Action.Status.NOT_STARTED, later),
                           (Action.Status.CANCELLED, earlier)]:
        Action.objects.create(goal=goal, text="Gör", owner_name="Chef", due_on=due_on,
                              status=status)
    with translation.override("sv"):
        plans = section(final_document(region.programme), "plans")
    assert plans.tables[0].rows == [["Ale", "Ja", "1", "1", "1", "1", "1", "5"],
                                    ["Tjörn", "Nej", "0", "0", "0", "0", "0", "0"]]
    assert plans.text == ["1 av 2 kommuner har en digital handlingsplan. 1 av planernas 5 "
                          "åtgärder är klara."]


def test_page_shows_every_section(region, programme_admin, login):
    targets(region)
    staff(region, region.ale, region.vikadamm, 6, prefix="A")
    client = login(programme_admin)
    page = client.get(reverse("reports:final-report", args=[region.programme.pk]),
                      HTTP_ACCEPT_LANGUAGE="sv").text
    for heading in ("Målen", "Totalt mot målen", "Per kommun", "Resultat av utbildningen",
                    "Självskattad förbättring och chefernas resultat",
                    "Digitaliseringsombudens arbete", "Handlingsplanerna"):
        assert f">{heading}</h2>" in page
    assert "Målet nåddes inte: 6 av 10 utbildade personer (60 %)." in page
    assert reverse("reports:evaluator-extract", args=[region.programme.pk]) in page
    # Charts are numbered per section: every element id on the page is unique (WCAG 4.1.1).
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and any(i.startswith("municipalities-chart-") for i in ids)
