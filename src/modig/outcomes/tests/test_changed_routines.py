"""The managers' outcome from the change log: changed at least one routine, with its
denominator, on the figures and the dashboards."""

import datetime

from django.urls import reverse

from modig.outcomes import figures
from modig.plans import services as plans_services
from modig.plans.models import RoutineChange
from modig.plans.tests.conftest import make_manager


def _record(person, unit, on=datetime.date(2026, 3, 2)):
    return plans_services.record_routine_change(
        manager=person, unit=unit, changed_on=on, routine="Dagsplanering",
        way=RoutineChange.Way.DIGITAL)


def test_each_manager_counts_once_and_only_inside_the_programme_period(region):
    managers = [make_manager(region.ale, region.vikadamm, first_name=f"M{n}") for n in range(12)]
    for person in managers[:6]:
        _record(person, region.vikadamm)
    _record(managers[0], region.vikadamm, on=datetime.date(2026, 5, 4))  # a second change
    _record(managers[6], region.vikadamm, on=datetime.date(2024, 6, 1))  # before the period
    share = figures.changed_routines(region.programme, [region.ale])
    assert (share.numerator, share.denominator) == (6, 12)
    low, high = share.interval
    assert low < 0.5 < high


def test_too_few_unchanged_managers_hide_the_figure(region):
    managers = [make_manager(region.ale, region.vikadamm, first_name=f"M{n}") for n in range(7)]
    for person in managers[:5]:
        _record(person, region.vikadamm)
    # 2 unchanged managers are below the minimum group size (5): 5 of 7 would reveal them.
    assert figures.changed_routines(region.programme, [region.ale]).hidden


def test_the_programme_dashboard_shows_the_share_with_its_denominator(region, login,
                                                                     programme_admin):
    managers = [make_manager(region.ale, region.vikadamm, first_name=f"M{n}") for n in range(12)]
    for person in managers[:6]:
        _record(person, region.vikadamm)
    page = login(programme_admin).get(reverse("outcomes:programme")).content.decode()
    assert 'href="/resultat/definitioner/#changed-routines"' in page or "#changed-routines" in page
    assert "6 / 12" in page
