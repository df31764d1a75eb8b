"""The yearly learning cycle: plans with four steps, the plan page, and reminders once."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from conftest import make_user
from modig.accounts.models import Role
from modig.learning import cycle
from modig.learning.models import LearningPlan


def test_a_plan_has_four_steps_and_starting_it_twice_keeps_one(region):
    plan = cycle.start_plan(region.vikadamm, 2026)
    assert [s.step for s in plan.steps.all()] == ["map", "plan", "learn", "follow_up"]
    assert plan.steps.get(step="map").due_on == datetime.date(2026, 3, 31)
    assert cycle.start_plan(region.vikadamm, 2026) == plan
    assert LearningPlan.objects.count() == 1


def test_a_manager_starts_and_follows_the_plan_on_its_page(client, login, region,
                                                           unit_manager):
    login(unit_manager)
    url = reverse("learning:plan", args=[region.vikadamm.pk, 2026])
    assert "Starta årets plan" in client.get(url).text
    client.post(reverse("learning:plan-start", args=[region.vikadamm.pk, 2026]))
    step = LearningPlan.objects.get().steps.get(step="map")
    client.post(reverse("learning:step-update", args=[step.pk]), {"action": "done"})
    step.refresh_from_db()
    assert step.done_on is not None
    bad = client.post(reverse("learning:step-update", args=[step.pk]),
                      {"due_on": "31 mars", "action": "date"}, follow=True)
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in bad.text
    client.post(reverse("learning:step-update", args=[step.pk]),
                {"due_on": "2026-04-15", "action": "date"})
    step.refresh_from_db()
    assert step.due_on == datetime.date(2026, 4, 15) and step.done_on is not None


def test_the_ambassador_reads_the_plan_but_does_not_change_it(client, login, region,
                                                              ambassador):
    plan = cycle.start_plan(region.vikadamm, 2026)
    login(ambassador)
    page = client.get(reverse("learning:plan", args=[region.vikadamm.pk, 2026]))
    assert page.status_code == 200 and "Markera som klar" not in page.text
    step = plan.steps.first()
    assert client.post(reverse("learning:step-update", args=[step.pk]),
                       {"action": "done"}).status_code == 403


def test_a_due_step_reminds_the_units_managers_once(region, unit_manager):
    make_user("annan@tjorn.example", Role.UNIT_MANAGER, units=[region.solgarden])
    plan = cycle.start_plan(region.vikadamm, 2026)
    plan.steps.filter(step="plan").update(done_on=datetime.date(2026, 3, 1))
    # 1 April: "map" is due (31 March); "plan" is done; the others are not yet due.
    assert cycle.send_reminders(datetime.date(2026, 4, 1)) == 1
    message, = mail.outbox
    assert message.to == ["chef@ale.example"]
    assert "Vikadamm boende" in message.subject
    assert cycle.send_reminders(datetime.date(2026, 4, 2)) == 0
    assert cycle.send_reminders(datetime.date(2026, 11, 1)) == 1  # "learn"
    assert len(mail.outbox) == 2


def test_a_moved_due_date_is_reminded_again_and_a_done_step_never(region, unit_manager):
    plan = cycle.start_plan(region.vikadamm, 2026)
    step = plan.steps.get(step="map")
    assert cycle.send_reminders(datetime.date(2026, 4, 1)) == 1
    cycle.set_step(step, due_on=datetime.date(2026, 4, 20))
    assert cycle.send_reminders(datetime.date(2026, 4, 21)) == 1
    cycle.set_step(plan.steps.get(step="plan"), done=True)
    assert cycle.send_reminders(datetime.date(2026, 6, 1)) == 0


def test_the_daily_command_sends_due_reminders(region, unit_manager, capsys):
    cycle.start_plan(region.vikadamm, 2020)
    call_command("send_learning_reminders")
    assert "4 reminders sent" in capsys.readouterr().out
    call_command("send_learning_reminders")
    assert "0 reminders sent" in capsys.readouterr().out
