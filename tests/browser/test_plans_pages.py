"""The change log and action plan pages on a 360 px phone, each scanned with axe-core: a unit
manager records a changed routine; a coordinator's plan pages with goals, actions and notes."""

import datetime

import pytest

from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory

from .browsing import use_session_of, visit


@pytest.fixture
def plan(region):
    from modig.plans import services
    from modig.plans.models import Action

    plan = services.create_plan(municipality=region.ale, title="Ales digitala handlingsplan",
                                starts_on=datetime.date(2025, 1, 1),
                                ends_on=datetime.date(2026, 12, 31))
    goal = services.add_goal(plan, text="Fler arbetar mobilt")
    services.save_action(plan, Action(goal=goal, text="Köp surfplattor", owner_name="Chef",
                                      due_on=datetime.date(2025, 6, 1), status="done"))
    services.add_note(plan, noted_on=datetime.date(2025, 9, 1), text="Klart.")
    return plan


def _assert_fits(page, path):
    assert page.get_by_role("heading", level=1).count() == 1, path
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide"


def test_a_unit_manager_records_a_change_on_a_phone(phone, server, region, unit_manager):
    person = PersonFactory(first_name="Maria", last_name="Chef")
    EmploymentFactory(person=person, municipality=region.ale, units=[region.nodinge],
                      staff_category=StaffCategory.MANAGEMENT)
    unit_manager.person = person
    unit_manager.save(update_fields=["person"])
    use_session_of(phone, server, unit_manager)
    visit(phone, f"{server}/handlingsplaner/rutiner/ny/")
    _assert_fits(phone, "form")
    phone.get_by_label("Rutin", exact=False).first.fill("Överlämning")
    phone.get_by_label("Mobilt arbetssätt").check()
    phone.get_by_role("button", name="Spara").click()
    phone.wait_for_url(f"{server}/handlingsplaner/rutiner/")
    visit(phone, f"{server}/handlingsplaner/rutiner/")
    assert phone.get_by_text("Överlämning").count() >= 1


def test_the_plan_pages_pass_axe_on_a_phone(phone, server, coordinator, plan):
    use_session_of(phone, server, coordinator)
    action = plan.goals.get().actions.get()
    for path in ["/handlingsplaner/", "/handlingsplaner/ny/", f"/handlingsplaner/{plan.pk}/",
                 f"/handlingsplaner/{plan.pk}/andra/", f"/handlingsplaner/{plan.pk}/nytt-mal/",
                 f"/handlingsplaner/{plan.pk}/ny-atgard/",
                 f"/handlingsplaner/{plan.pk}/atgarder/{action.pk}/",
                 f"/handlingsplaner/{plan.pk}/ny-uppfoljning/", "/handlingsplaner/rutiner/"]:
        visit(phone, f"{server}{path}")
        _assert_fits(phone, path)
