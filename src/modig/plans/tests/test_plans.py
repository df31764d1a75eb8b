"""Digital action plans: the rules of goals, actions and notes (bad input refused whole), who
may read and edit which plan, the draft from the survey results, and the PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from modig.plans import drafts, pdf, services
from modig.plans.models import Action, ActionPlan, FollowUpNote, Goal
from modig.plans.tests.conftest import make_manager
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import rating_items, submit, submit_many

START, END = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)


def new_plan(municipality, unit=None, **fields):
    values = {"title": "Digital handlingsplan", "starts_on": START, "ends_on": END} | fields
    return services.create_plan(municipality=municipality, unit=unit, **values)


def new_action(plan, goal=None, **fields):
    goal = goal or plan.goals.first() or services.add_goal(plan, text="Fler arbetar mobilt")
    values = {"text": "Inför surfplattor", "owner_name": "Enhetschef",
              "due_on": datetime.date(2025, 6, 1)} | fields
    return services.save_action(plan, Action(goal=goal, **values))


def action_data(plan, **fields):
    return {"goal": plan.goals.first().pk, "text": "Inför surfplattor",
            "owner_name": "Enhetschef", "owner": "", "due_on": "2025-06-01",
            "status": "in_progress"} | fields


# Rules ------------------------------------------------------------------------------------------

def test_a_due_date_before_the_plan_starts_is_refused_and_nothing_saved(login, coordinator,
                                                                       region):
    plan = new_plan(region.ale)
    services.add_goal(plan, text="Mål")
    response = login(coordinator).post(
        reverse("plans:action-create", kwargs={"pk": plan.pk}),
        action_data(plan, due_on="2024-12-31"))
    assert response.status_code == 200
    assert "Datumet ligger före planens start" in response.content.decode()
    assert not Action.objects.exists()


def test_a_due_date_after_the_plan_ends_is_refused(region):
    plan = new_plan(region.ale)
    with pytest.raises(ValidationError) as error:
        new_action(plan, due_on=END + datetime.timedelta(days=1))
    assert "due_on" in error.value.message_dict
    assert not Action.objects.exists()


def test_an_owner_outside_the_municipality_is_refused(region, login, coordinator,
                                                      tjorn_manager):
    plan = new_plan(region.ale)
    services.add_goal(plan, text="Mål")
    with pytest.raises(ValidationError) as error:
        new_action(plan, owner=tjorn_manager, owner_name="")
    assert "arbetar inte i Ale" in error.value.message_dict["owner"][0]
    # On the form Tjörn's manager is not even offered.
    response = login(coordinator).post(
        reverse("plans:action-create", kwargs={"pk": plan.pk}),
        action_data(plan, owner=tjorn_manager.pk))
    assert "Välj en ansvarig som är anställd i kommunen" in response.content.decode()
    assert not Action.objects.exists()


def test_an_owner_from_the_register_gives_the_name(region, login, coordinator):
    manager = make_manager(region.ale, region.vikadamm, first_name="Olle")
    plan = new_plan(region.ale)
    services.add_goal(plan, text="Mål")
    response = login(coordinator).post(
        reverse("plans:action-create", kwargs={"pk": plan.pk}),
        action_data(plan, owner=manager.pk, owner_name=""))
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.owner_name, action.status) == (manager, "Olle Chef",
                                                                "in_progress")


def test_an_action_needs_an_owner(region):
    plan = new_plan(region.ale)
    with pytest.raises(ValidationError) as error:
        new_action(plan, owner_name="  ")
    assert "owner_name" in error.value.message_dict


def test_a_goal_of_another_plan_is_refused(region):
    plan, other = new_plan(region.ale), new_plan(region.ale, title="Annan")
    goal = services.add_goal(other, text="Annat mål")
    with pytest.raises(ValidationError):
        new_action(plan, goal=goal)


def test_the_period_cannot_leave_actions_outside(region, login, coordinator):
    plan = new_plan(region.ale)
    new_action(plan, due_on=datetime.date(2025, 3, 1))
    response = login(coordinator).post(reverse("plans:plan-edit", kwargs={"pk": plan.pk}), {
        "title": "Ny rubrik", "starts_on": "2025-06-01", "ends_on": "2026-12-31",
        "status": "adopted"})
    assert "1 åtgärd ska vara klar utanför den nya perioden" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.title, plan.starts_on, plan.status) == ("Digital handlingsplan", START, "draft")


def test_a_plan_is_adopted(region, login, coordinator):
    plan = new_plan(region.ale)
    response = login(coordinator).post(reverse("plans:plan-edit", kwargs={"pk": plan.pk}), {
        "title": "Beslutad plan", "starts_on": "2025-01-01", "ends_on": "2026-12-31",
        "status": "adopted"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("Beslutad plan", ActionPlan.Status.ADOPTED)


def test_a_plan_ending_before_it_starts_is_refused(region, login, coordinator):
    response = login(coordinator).post(reverse("plans:plan-create"), {
        "municipality": region.ale.pk, "title": "Plan", "starts_on": "2026-01-01",
        "ends_on": "2025-01-01"})
    assert "Planen slutar innan den börjar" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_a_unit_of_another_municipality_is_refused(region):
    with pytest.raises(ValidationError) as error:
        new_plan(region.ale, unit=region.solgarden)
    assert "unit" in error.value.message_dict
    assert not ActionPlan.objects.exists()


def test_a_follow_up_in_the_future_is_refused(region, login, coordinator):
    plan = new_plan(region.ale)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("plans:note-create", kwargs={"pk": plan.pk})
    response = login(coordinator).post(url, {"noted_on": tomorrow.isoformat(), "text": "Bra"})
    assert "Datumet ligger i framtiden" in response.content.decode()
    assert not FollowUpNote.objects.exists()
    login(coordinator).post(url, {"noted_on": "2025-09-01", "text": "Bra start"})
    note = FollowUpNote.objects.get()
    assert (note.text, note.author_name) == ("Bra start", coordinator.get_full_name())


def test_an_action_is_changed_and_goals_keep_their_order(region, login, coordinator):
    plan = new_plan(region.ale)
    first = services.add_goal(plan, text="Första")
    second = services.add_goal(plan, text="Andra")
    assert list(plan.goals.all()) == [first, second]
    action = new_action(plan, goal=first)
    response = login(coordinator).post(
        reverse("plans:action-edit", kwargs={"pk": plan.pk, "action_pk": action.pk}),
        action_data(plan, goal=second.pk, status="done"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.goal, action.status, Action.objects.count()) == (second, "done", 1)


# Access ---------------------------------------------------------------------------------------

def test_a_unit_manager_edits_their_units_plan_and_reads_the_municipalitys(
        region, login, unit_manager):
    municipal, unit_plan = new_plan(region.ale), new_plan(region.ale, unit=region.vikadamm)
    tjorn = new_plan(region.tjorn)
    client = login(unit_manager)
    listed = set(client.get(reverse("plans:plan-list")).context["plans"])
    assert listed == {municipal, unit_plan} and tjorn not in listed
    assert client.get(reverse("plans:plan-edit", kwargs={"pk": unit_plan.pk})).status_code == 200
    assert client.get(reverse("plans:plan-edit", kwargs={"pk": municipal.pk})).status_code == 403


def test_a_unit_manager_cannot_start_the_municipalitys_plan(region, login, unit_manager):
    response = login(unit_manager).post(reverse("plans:plan-create"), {
        "municipality": region.ale.pk, "title": "Plan", "starts_on": "2025-01-01",
        "ends_on": "2025-12-31"})
    assert "Välj en av dina enheter" in response.content.decode()
    response = login(unit_manager).post(reverse("plans:plan-create"), {
        "municipality": region.ale.pk, "unit": region.vikadamm.pk, "title": "Vikadamms plan",
        "starts_on": "2025-01-01", "ends_on": "2025-12-31"})
    assert response.status_code == 302
    assert ActionPlan.objects.get().unit == region.vikadamm


def test_a_coordinator_cannot_start_a_plan_for_another_municipality(region, login,
                                                                   coordinator):
    response = login(coordinator).post(reverse("plans:plan-create"), {
        "municipality": region.tjorn.pk, "title": "Plan", "starts_on": "2025-01-01",
        "ends_on": "2025-12-31"})
    assert "Välj kommunen" in response.content.decode()
    assert not ActionPlan.objects.exists()


# The draft from the survey results ------------------------------------------------------------

@pytest.fixture
def closed_baseline(region):
    """A closed baseline round: 6 answers in Ale, 6 in Tjörn; Ale rates area 1 lowest (1),
    area 2 next (2), the others 4."""
    today = timezone.localdate()
    questionnaire = make_questionnaire(items_per_area=1)
    round_ = make_round(region.programme, questionnaire, name="Nulägesmätning 2025",
                        opens_on=today - datetime.timedelta(days=60),
                        closes_on=today - datetime.timedelta(days=30), min_group_size=5)
    items = rating_items(round_)
    values = {item.pk: {1: 1, 2: 2, 3: 4}.get(position, 4)
              for position, item in enumerate(items, start=1)}
    for _ in range(6):
        submit(round_, municipality=region.ale, unit=region.vikadamm, values=values)
    submit_many(round_, 6, municipality=region.tjorn, unit=region.solgarden, value=4)
    return round_, items


def test_a_draft_proposes_goals_for_the_lowest_areas_with_the_figure_and_round(
        region, login, coordinator, closed_baseline):
    _round, items = closed_baseline
    response = login(coordinator).post(reverse("plans:plan-create"), {
        "municipality": region.ale.pk, "title": "Ales plan", "starts_on": "2025-01-01",
        "ends_on": "2026-12-31", "from_survey": "on"})
    assert response.status_code == 302
    goals = list(Goal.objects.order_by("position"))
    assert len(goals) == drafts.GOALS
    first_area, second_area = items[0].competence.area, items[1].competence.area
    assert first_area.title_sv in goals[0].text and "1,0" in goals[0].text
    assert second_area.title_sv in goals[1].text and "2,0" in goals[1].text
    assert all("Nulägesmätning 2025" in goal.text for goal in goals)
    assert items[0].competence in goals[0].competences.all()
    # Each proposed goal links to the results it came from.
    assert all(goal.source_round == _round for goal in goals)
    page = login(coordinator).get(reverse("plans:plan-detail",
                                          kwargs={"pk": goals[0].plan_id})).text
    assert "Bygger på resultaten från Nulägesmätning 2025" in page


def test_an_open_round_is_not_used(region, closed_baseline):
    round_, _items = closed_baseline
    today = timezone.localdate()
    make_round(region.programme, round_.questionnaire, name="Öppen",
               opens_on=today - datetime.timedelta(days=1))
    assert drafts.latest_closed_baseline(region.ale) == round_


def test_a_draft_is_refused_when_the_municipalitys_results_are_hidden(region):
    """Ale 6 answers, Tjörn 2: Tjörn is small and Ale its complement, so both are hidden."""
    today = timezone.localdate()
    round_ = make_round(region.programme, make_questionnaire(items_per_area=1),
                        opens_on=today - datetime.timedelta(days=60),
                        closes_on=today - datetime.timedelta(days=30), min_group_size=5)
    submit_many(round_, 6, municipality=region.ale, unit=region.vikadamm, value=2)
    submit_many(round_, 2, municipality=region.tjorn, unit=region.solgarden, value=1)
    for municipality in (region.tjorn, region.ale):
        with pytest.raises(ValidationError) as error:
            new_plan(municipality, from_survey=True)
        assert "för få svar" in error.value.message_dict["from_survey"][0]
    assert not ActionPlan.objects.exists() and not Goal.objects.exists()


def test_a_draft_without_a_closed_baseline_is_refused(region):
    with pytest.raises(ValidationError) as error:
        new_plan(region.ale, from_survey=True)
    assert "ingen avslutad nulägesmätning" in error.value.message_dict["from_survey"][0]
    assert not ActionPlan.objects.exists()


# The PDF --------------------------------------------------------------------------------------

def test_the_pdf_holds_title_period_goals_actions_and_notes(region, login, unit_manager):
    plan = new_plan(region.ale, title="Ales digitala handlingsplan")
    goal = services.add_goal(plan, text="Fler arbetar mobilt i hemtjänsten")
    new_action(plan, goal=goal, text="Köp in surfplattor", owner_name="Åsa Öberg",
               due_on=datetime.date(2025, 5, 31), status="done")
    services.add_note(plan, noted_on=datetime.date(2025, 9, 1), text="Alla har surfplattor.")
    with translation.override("sv"):
        blocks = pdf.plan_blocks(plan, printed_on=datetime.date(2026, 1, 5))
    text = [block[1] for block in blocks if block[0] != "table"]
    assert text[0] == "Ales digitala handlingsplan"
    assert "Period: 1 januari 2025 till 31 december 2026" in text
    assert "Mål 1: Fler arbetar mobilt i hemtjänsten" in text
    assert "2025-09-01: Alla har surfplattor." in text
    [table] = [block for block in blocks if block[0] == "table"]
    assert table[1] == ["Åtgärd", "Ansvarig", "Klart senast", "Status"]
    assert table[2] == [["Köp in surfplattor", "Åsa Öberg", "2025-05-31", "Klar"]]
    response = login(unit_manager).get(reverse("plans:plan-pdf", kwargs={"pk": plan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert b"DejaVu" in content  # the embedded font that prints å, ä and ö


def test_a_double_tap_adds_each_plan_goal_action_and_note_once(region, login, coordinator):
    client = login(coordinator)

    def twice(url, data):
        form = client.get(url).context["form"]
        data = data | {"submission_key": str(form.initial["submission_key"])}
        first, second = client.post(url, data), client.post(url, data)
        assert first.status_code == second.status_code == 302
        return first

    twice(reverse("plans:plan-create"), {
        "municipality": region.ale.pk, "title": "Plan", "starts_on": "2025-01-01",
        "ends_on": "2026-12-31"})
    plan = ActionPlan.objects.get()
    twice(reverse("plans:goal-create", kwargs={"pk": plan.pk}), {"text": "Mål"})
    assert Goal.objects.count() == 1
    twice(reverse("plans:action-create", kwargs={"pk": plan.pk}), action_data(plan))
    assert Action.objects.count() == 1
    twice(reverse("plans:note-create", kwargs={"pk": plan.pk}),
          {"noted_on": "2025-09-01", "text": "Bra"})
    assert FollowUpNote.objects.count() == 1


# Links to technologies and competences ---------------------------------------------------------

def test_goals_and_actions_link_to_welfare_technologies_on_the_page_and_in_the_pdf(
        region, login, coordinator):
    from modig.competence.models import Competence
    from modig.learning.models import Technology

    alarm = Technology.objects.get(code="digitalt-trygghetslarm-i-hemmet")
    lock = Technology.objects.get(code="digitala-las-nyckelfri-hemtjanst")
    competence = Competence.objects.get(framework__code="digcomp-2-2", code="5.1")
    plan = new_plan(region.ale)
    client = login(coordinator)
    client.post(reverse("plans:goal-create", kwargs={"pk": plan.pk}), {
        "text": "Trygghetslarmen används fullt ut", "technologies": [alarm.pk],
        "competences": [competence.pk]})
    goal = plan.goals.get()
    assert list(goal.technologies.all()) == [alarm]
    response = client.post(reverse("plans:action-create", kwargs={"pk": plan.pk}),
                           action_data(plan, technologies=[lock.pk],
                                       competences=[competence.pk]))
    assert response.status_code == 302
    action = Action.objects.get()
    assert list(action.technologies.all()) == [lock]
    assert list(action.competences.all()) == [competence]
    page = client.get(reverse("plans:plan-detail", kwargs={"pk": plan.pk})).text
    assert alarm.name in page and lock.name in page
    bad = client.post(reverse("plans:action-create", kwargs={"pk": plan.pk}),
                      action_data(plan, technologies=["99999"]))
    assert "Välj teknik i listan" in bad.text and Action.objects.count() == 1
    with translation.override("sv"):
        text = [b[1] for b in pdf.plan_blocks(plan, printed_on=datetime.date(2026, 1, 5))
                if b[0] != "table"]
    assert f"Välfärdsteknik: {alarm.name}" in text
    assert any(line.startswith("Inför surfplattor: kopplad till 5.1") and lock.name in line
               for line in text)
