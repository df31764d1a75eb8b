"""The final report: totals against targets from the ledger, small groups hidden."""

from django.urls import reverse

from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.reports.finalreport import final_report
from modig.reports.tests.conftest import complete
from modig.training.tests.test_certificates import pdf_text


def trained(region, *, managers: int, base: int = 6):
    region.programme.target_people_total = 10
    region.programme.target_people_base = 8
    region.programme.target_people_management = 2
    region.programme.target_training_hours = 20
    region.programme.save()
    for index in range(base + managers):
        person = PersonFactory()
        category = StaffCategory.MANAGEMENT if index >= base else StaffCategory.BASE
        EmploymentFactory(person=person, municipality=region.ale, employee_id=f"F{index}",
                          units=[region.vikadamm], staff_category=category)
        complete(region, person, "2026-03-10")


def test_totals_against_targets_and_a_small_group_hidden_with_its_sibling(region):
    trained(region, managers=1)
    report = final_report(region.programme)
    assert (report.total.people, report.total.target, report.total.share) == (7, 10, 70)
    assert (report.hours, report.hours_share) == (7, 35)
    # One manager is below the minimum (5); base staff is hidden too, else 7 - 6 gives 1.
    assert [(r.people, r.minutes) for r in report.categories] == [(None, None), (None, None)]


def test_groups_at_the_minimum_are_shown(region):
    trained(region, managers=5)
    base, management = final_report(region.programme).categories
    assert (base.people, base.share) == (6, 75)
    assert (management.people, management.share) == (5, 250)


def test_page_and_pdf(region, programme_admin, login):
    trained(region, managers=5)
    client = login(programme_admin)
    page = client.get(reverse("reports:final-report", args=[region.programme.pk]))
    assert "Slutrapport: Modig" in page.text
    assert "<caption>Resultat mot mål</caption>" in page.text
    assert "110 %" in page.text  # 11 people against a target of 10
    text = " ".join(pdf_text(client.get(reverse("reports:final-report-pdf",
                                                args=[region.programme.pk])).content).split())
    assert "Slutrapport: Modig" in text
    assert "Målet nåddes: 11 av 10 utbildade personer (110 %)." in text
    assert "Målet nåddes: 5 av 2 utbildade chefer (250 %)." in text
