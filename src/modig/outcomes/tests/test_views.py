"""The dashboards and the records behind their figures, through the HTTP client, on the region
of builders.py (8 people trained, 1,050 minutes = 17.5 hours; Ale 5 people, Tjörn 4)."""

import re

import pytest
from django.urls import reverse

from modig.accounts.models import AccessLogEntry
from modig.outcomes import views
from modig.outcomes.tests.builders import build, build_surveys


@pytest.fixture
def place(region):
    build(region)
    build_surveys(region)
    return region


def _distinct_people_in_records(client, url) -> tuple[int, int]:
    """(distinct people, records) over every page of a records listing."""
    people, records, page = set(), 0, 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}sida={page}")
        assert response.status_code == 200
        rows = response.context["rows"]
        people |= {row["entry_person"] for row in rows}
        records += len(rows)
        if not response.context["page"].has_next():
            return len(people), records
        page += 1


def test_programme_dashboard_shows_the_figures_with_their_definitions(client, login, place,
                                                                      programme_admin):
    login(programme_admin)
    response = client.get(reverse("outcomes:programme"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["total"].people == 8
    assert reverse("outcomes:definitions") + "#trained" in html
    titles = [chart.title for chart in response.context["charts"]]
    assert "Mål och utfall" in titles and "Utbildade per kommun" in titles
    municipality = next(c for c in response.context["charts"] if c.title == "Utbildade per kommun")
    assert [(row.label, row.text) for row in municipality.rows] == [("Ale", "5"), ("Tjörn", "4")]
    # Suppressed cells are shown as such, in the table and the summary.
    gender = next(c for c in response.context["charts"] if c.title == "Utbildade efter kön")
    assert all(row.text == "För få för att visa" for row in gender.rows)
    assert "För få för att visa" in html
    improvement = next(c for c in response.context["charts"]
                       if c.title.startswith("Uppmätt förbättring"))
    assert improvement.rows[0].extra[0] == "3 / 7"
    assert "<svg" in html and "<table" in html


def test_filters_narrow_the_figures(client, login, place, programme_admin):
    login(programme_admin)
    response = client.get(reverse("outcomes:programme"), {"kommun": "1419"})
    assert response.context["total"].people == 4
    response = client.get(reverse("outcomes:programme"), {"fran": "2026-04-01"})
    assert response.context["total"].people == 4  # only the April distance completions
    response = client.get(reverse("outcomes:programme"),
                          {"fran": "2026-05-01", "till": "2026-04-01"})
    assert response.status_code == 200
    assert "Startdatum måste vara före slutdatum" in response.content.decode()


@pytest.mark.parametrize("query, people, records", [
    ("", 8, 11), ("?kommun=1440", 5, 8), ("?kommun=1419", 4, 4),
    ("?kommun=1440&fran=2026-03-05", 4, 4),
])
def test_each_drill_down_has_the_figure_s_distinct_people(client, login, place,
                                                         programme_admin, query, people,
                                                         records, monkeypatch):
    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 2)
    login(programme_admin)
    url = reverse("outcomes:records") + query
    response = client.get(url)
    assert response.context["total"].people == people
    assert _distinct_people_in_records(client, url) == (people, records)


def test_the_dashboard_s_record_links_count_what_the_rows_say(client, login, place,
                                                            coordinator):
    login(coordinator)
    response = client.get(reverse("outcomes:municipality", args=["1440"]))
    assert response.context["total"].people == 5
    units = next(c for c in response.context["charts"] if c.title == "Utbildade per enhet")
    vikadamm = next(row for row in units.rows if row.label == "Vikadamm boende")
    assert vikadamm.text == "5"
    target = re.sub("&amp;", "&", vikadamm.link)
    assert _distinct_people_in_records(client, target)[0] == 5
    assert AccessLogEntry.objects.filter(user=coordinator).exists()


def test_a_coordinator_gets_their_own_records_only(client, login, place, coordinator):
    login(coordinator)
    response = client.get(reverse("outcomes:records"))
    assert response.status_code == 302 and response.url.endswith("?kommun=1440")
    assert client.get(reverse("outcomes:records"), {"kommun": "1419"}).status_code == 404


def test_a_unit_manager_sees_their_unit_without_records(client, login, place, unit_manager):
    login(unit_manager)
    response = client.get(reverse("outcomes:unit", args=[place.nodinge.pk]))
    assert response.status_code == 200
    assert response.context["total"].people == 5
    assert response.context["records_link"] == ""
    assert reverse("outcomes:records") not in response.content.decode()


def test_the_home_page_links_the_dashboards(client, login, place, programme_admin):
    login(programme_admin)
    assert reverse("outcomes:programme") in client.get(reverse("home")).content.decode()
