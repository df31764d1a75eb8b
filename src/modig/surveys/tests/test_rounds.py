"""Round pages and services: create, count, publish, close, who may do what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from modig.organisation.models import Occupation
from modig.surveys import rounds
from modig.surveys.models import Invitation, Round
from modig.surveys.tests.factories import make_questionnaire, make_round

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def form_data(questionnaire, **overrides):
    today = timezone.localdate()
    data = {
        "name": "Nulägesmätning våren", "questionnaire": questionnaire.pk, "kind": "baseline",
        "anonymity": "pseudonymous", "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=21)).isoformat(),
        "reminder_days": "7", "min_group_size": "5",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_draft_with_a_population(region, programme_admin, login):
    client = login(programme_admin)
    questionnaire = make_questionnaire()
    page = client.get(reverse("surveys:round-create"))
    assert page.status_code == 200
    assert page.context["form"]["min_group_size"].value() == region.programme.min_group_size
    response = client.post(reverse("surveys:round-create"),
                           form_data(questionnaire, units=[region.nodinge.pk]))
    round_ = Round.objects.get()
    assert response.url == reverse("surveys:round-detail", kwargs={"pk": round_.pk})
    assert round_.published_at is None
    assert list(round_.units.all()) == [region.nodinge]
    detail = client.get(response.url)
    assert "3 personer" in detail.content.decode()


def test_counting_the_population_saves_nothing(region, programme_admin, login):
    client = login(programme_admin)
    questionnaire = make_questionnaire()
    page = client.post(reverse("surveys:round-create"),
                       form_data(questionnaire, municipalities=[region.tjorn.pk], count="1"))
    assert page.status_code == 200
    assert page.context["population_size"] == 2
    assert "2 personer ingår" in page.content.decode()
    assert not Round.objects.exists()


def test_bad_input_gets_swedish_messages_and_changes_nothing(region, programme_admin, login):
    client = login(programme_admin)
    questionnaire = make_questionnaire()
    today = timezone.localdate()
    page = client.post(reverse("surveys:round-create"), form_data(
        questionnaire, closes_on=(today - datetime.timedelta(days=1)).isoformat(),
        kind="follow_up", min_group_size="2"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Något behöver rättas" in text or "Something needs fixing" not in text
    assert page.context["form"].errors
    assert not Round.objects.exists()


def test_follow_up_needs_a_published_baseline(region):
    questionnaire = make_questionnaire()
    today = timezone.localdate()
    data = rounds.RoundData(name="Uppföljning", questionnaire=questionnaire, opens_on=today,
                            closes_on=today, kind=Round.Kind.FOLLOW_UP)
    with pytest.raises(ValidationError) as error:
        rounds.create_round(region.programme, data)
    assert "baseline" in error.value.message_dict
    draft = make_round(region.programme, questionnaire, published=False)
    data.baseline = draft
    with pytest.raises(ValidationError):
        rounds.create_round(region.programme, data)
    draft.published_at = timezone.now()
    draft.save()
    assert rounds.create_round(region.programme, data).baseline == draft


def test_min_group_size_never_below_three(region):
    questionnaire = make_questionnaire()
    today = timezone.localdate()
    data = rounds.RoundData(name="X", questionnaire=questionnaire, opens_on=today,
                            closes_on=today, min_group_size=2)
    with pytest.raises(ValidationError):
        rounds.create_round(region.programme, data)
    data.min_group_size = None
    assert rounds.create_round(region.programme, data).min_group_size == 5


@override_settings(TASKS=IMMEDIATE)
def test_publishing_freezes_the_questionnaire_and_invites(region, programme_admin, login,
                                                          django_capture_on_commit_callbacks,
                                                          mailoutbox):
    client = login(programme_admin)
    round_ = make_round(region.programme, published=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:round-publish", kwargs={"pk": round_.pk}))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.published_at is not None
    assert round_.questionnaire.frozen_at is not None
    assert Invitation.objects.filter(round=round_).count() == 4
    assert [m.to for m in mailoutbox] == [["anna@ale.example"]]
    # A second publish is refused and changes nothing.
    client.post(reverse("surveys:round-publish", kwargs={"pk": round_.pk}))
    assert Invitation.objects.filter(round=round_).count() == 4


def test_an_empty_population_cannot_be_published(region):
    round_ = make_round(region.programme, published=False)
    round_.occupations.set([Occupation.objects.exclude(ssyk_code="5321").first()])
    with pytest.raises(ValidationError):
        rounds.publish_round(round_)
    round_.refresh_from_db()
    assert round_.published_at is None


def test_after_publishing_only_name_end_and_reminders_change(region, programme_admin, login):
    client = login(programme_admin)
    round_ = make_round(region.programme)
    new_end = timezone.localdate() + datetime.timedelta(days=60)
    client.post(reverse("surveys:round-edit", kwargs={"pk": round_.pk}), form_data(
        round_.questionnaire, name="Nytt namn", closes_on=new_end.isoformat(),
        kind="recurring", municipalities=[region.tjorn.pk], reminder_days="3"))
    round_.refresh_from_db()
    assert (round_.name, round_.closes_on, round_.reminder_days) == ("Nytt namn", new_end, 3)
    assert round_.kind == Round.Kind.BASELINE
    assert not round_.municipalities.exists()


def test_closing_early_needs_confirmation(region, programme_admin, login):
    client = login(programme_admin)
    round_ = make_round(region.programme)
    url = reverse("surveys:round-close", kwargs={"pk": round_.pk})
    client.post(url)
    round_.refresh_from_db()
    assert round_.closed_at is None
    client.post(url, {"confirm": "yes"})
    round_.refresh_from_db()
    assert round_.closed_at is not None
    assert not round_.is_open
    # The final results are queued for building at once.
    from modig.surveys.models import ResultSnapshot

    assert ResultSnapshot.objects.get(round=round_).refresh_requested_at is not None


def test_coordinators_see_only_rounds_that_include_their_municipality(
        region, coordinator, tjorn_coordinator, login, client):
    everywhere = make_round(region.programme, name="Alla")
    tjorn_only = make_round(region.programme, everywhere.questionnaire, name="Bara Tjörn")
    tjorn_only.municipalities.set([region.tjorn])
    solgarden = make_round(region.programme, everywhere.questionnaire, name="Solgården")
    solgarden.units.set([region.solgarden])
    draft = make_round(region.programme, everywhere.questionnaire, name="Utkast",
                       published=False)
    page = login(coordinator).get(reverse("surveys:round-list"))
    assert {row["round"].name for row in page.context["rows"]} == {"Alla"}
    assert client.get(reverse("surveys:round-detail",
                              kwargs={"pk": tjorn_only.pk})).status_code == 404
    page = login(tjorn_coordinator).get(reverse("surveys:round-list"))
    assert {row["round"].name for row in page.context["rows"]} == {
        "Alla", "Bara Tjörn", "Solgården"}
    assert client.get(reverse("surveys:round-detail",
                              kwargs={"pk": draft.pk})).status_code == 404


def test_unit_managers_see_rounds_above_or_below_their_units(region, unit_manager, login):
    above = make_round(region.programme, name="Äldreomsorgen")
    above.units.set([region.ale_elderly])
    below = make_round(region.programme, above.questionnaire, name="Vikadamm")
    below.units.set([region.vikadamm])
    elsewhere = make_round(region.programme, above.questionnaire, name="Solgården")
    elsewhere.units.set([region.solgarden])
    page = login(unit_manager).get(reverse("surveys:round-list"))
    assert {row["round"].name for row in page.context["rows"]} == {"Äldreomsorgen",
                                                                   "Vikadamm"}


def test_only_the_programme_office_changes_rounds(region, coordinator, login):
    round_ = make_round(region.programme, published=False)
    published = make_round(region.programme, round_.questionnaire, name="Publicerad")
    client = login(coordinator)
    assert client.get(reverse("surveys:round-create")).status_code == 403
    assert client.get(reverse("surveys:round-edit",
                              kwargs={"pk": published.pk})).status_code == 403
    assert client.post(reverse("surveys:round-close", kwargs={"pk": published.pk}),
                       {"confirm": "yes"}).status_code == 403
    published.refresh_from_db()
    assert published.closed_at is None


def test_each_choice_says_how_many_people_it_reaches(region, programme_admin, login):
    from modig.organisation.models import TargetGroup

    region.anna.employments.get().target_groups.add(
        TargetGroup.objects.get(code=TargetGroup.Code.AMBASSADOR))
    make_questionnaire()
    text = login(programme_admin).get(reverse("surveys:round-create")).content.decode()
    assert "Ale (3 personer)" in text
    assert "Tjörn (2 personer)" in text
    assert "Ale: Äldreomsorg (3 personer)" in text  # Vikadamm's people count in the tree
    assert "Ale: – – Vikadamm boende (3 personer)" in text
    assert "Digitaliseringsombud (1 person)" in text


def test_the_detail_page_links_to_the_results(region, programme_admin, login):
    round_ = make_round(region.programme)
    page = login(programme_admin).get(reverse("surveys:round-detail", kwargs={"pk": round_.pk}))
    assert reverse("surveys:round-results", kwargs={"pk": round_.pk}) in page.content.decode()
