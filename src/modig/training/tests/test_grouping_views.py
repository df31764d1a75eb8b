"""Group formation pages: propose through the form, see bands but never scores, adjust,
reload, confirm (once), and who may do it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from modig.accounts.models import AccessLogEntry
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.surveys.models import Round
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import rating_items, submit
from modig.training import grouping
from modig.training.models import Enrolment, GroupProposal, ProposalMember, Session
from modig.training.tests.factories import make_course, make_session, meeting

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def setting(region):
    """A course on the first two items' competences; Anna rates them 1 and 2 (mean 1.5),
    Bertil 5 and 4; Dana did not answer. A small-group and a regular session in Ale."""
    round_ = make_round(region.programme, make_questionnaire())
    items = rating_items(round_)
    course = make_course(region.programme, title="Digital dokumentation",
                         competences=[i.competence for i in items[:2]])
    for person, values in ((region.anna, (1, 2)), (region.bertil, (5, 4))):
        submit(round_, municipality=region.ale, unit=region.vikadamm,
               values={items[0].pk: values[0], items[1].pk: values[1]}, value=3,
               respondent_key=person.pseudonym)
    small = make_session(course, meetings=[meeting(day(20))], capacity=6,
                         group_level=Session.GroupLevel.SMALL_GROUP, municipality=region.ale)
    regular = make_session(course, meetings=[meeting(day(21))], capacity=15,
                           municipality=region.ale)
    return {"round": round_, "course": course, "small": small, "regular": regular}


def form_data(setting, region, **changes):
    data = {"course": setting["course"].code, "survey_round": setting["round"].pk,
            "municipality": region.ale.pk, "support_rule": "share", "support_share": "34",
            "support_threshold": "", "small_group_size": "6", "regular_group_size": "15"}
    data.update(changes)
    return data


def propose(setting, region, **options):
    return grouping.propose_groups(setting["course"], survey_round=setting["round"],
                                   municipality=region.ale, by=None,
                                   **{"support_share": 34, **options})


def detail_url(proposal):
    return reverse("training:grouping-detail", args=[proposal.pk])


def test_coordinator_proposes_groups_and_sees_bands_but_no_score(login, coordinator, region,
                                                                 setting):
    client = login(coordinator)
    assert client.get(reverse("training:grouping-create")).status_code == 200
    response = client.post(reverse("training:grouping-create"), form_data(setting, region))
    proposal = GroupProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(proposal)
    assert proposal.created_by == coordinator
    assert not Enrolment.objects.exists()
    body = client.get(detail_url(proposal)).content.decode()
    small, regular = proposal.groups.order_by("number")
    assert small.session == setting["small"] and regular.session == setting["regular"]
    assert body.index('id="grupp-1"') < body.index("Anna Andersson") < body.index(
        'id="grupp-2"') < body.index("Bertil Berg")
    assert "Extra stöd" in body and "Ordinarie" in body
    assert "Inget svar i kartläggningen" in body  # Dana
    for score in ("1,5", "1.5", "4,5", "4.5"):
        assert score not in body
    logged = AccessLogEntry.objects.filter(user=coordinator,
                                           action=AccessLogEntry.Action.VIEW_PERSON)
    assert logged.count() == 2  # made, then opened


def test_anonymous_rounds_are_not_offered_and_a_posted_one_is_refused(login, coordinator,
                                                                      region, setting):
    anonymous = make_round(region.programme, setting["round"].questionnaire,
                           name="Anonym mätning", anonymity=Round.Anonymity.ANONYMOUS)
    client = login(coordinator)
    page = client.get(reverse("training:grouping-create")).content.decode()
    assert "Anonym mätning" not in page and str(setting["round"]) in page
    response = client.post(reverse("training:grouping-create"),
                           form_data(setting, region, survey_round=anonymous.pk))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not GroupProposal.objects.exists()


def test_coordinator_cannot_form_groups_in_another_municipality(login, coordinator, region,
                                                                setting):
    response = login(coordinator).post(reverse("training:grouping-create"),
                                       form_data(setting, region, municipality=region.tjorn.pk))
    assert response.status_code == 200
    assert not GroupProposal.objects.exists()


def test_bad_sizes_are_refused_with_a_swedish_message(login, programme_admin, region, setting):
    response = login(programme_admin).post(
        reverse("training:grouping-create") + f"?kommun={region.ale.pk}",
        form_data(setting, region, small_group_size="20", regular_group_size="15"))
    assert response.status_code == 200
    assert "Små grupper kan inte vara större än vanliga grupper." in response.content.decode()
    assert not GroupProposal.objects.exists()


def test_a_move_and_a_removal_survive_a_reload(login, coordinator, region, setting):
    proposal = propose(setting, region)
    client = login(coordinator)
    bertil = proposal.members.get(person=region.bertil)
    url = reverse("training:grouping-member", args=[proposal.pk, bertil.pk])
    assert "Bertil Berg" in client.get(url).content.decode()
    response = client.post(url, {"action": "move", "group": grouping.NEW_SMALL_GROUP})
    assert response.status_code == 302 and response["Location"].endswith("#grupp-3")
    body = client.get(detail_url(proposal)).content.decode()
    assert "Bertil Berg" in body[body.index('id="grupp-3"'):]
    assert "Bertil Berg" not in body[body.index('id="grupp-1"'):body.index('id="grupp-3"')]
    dana = proposal.members.get(person=region.dual)
    client.post(reverse("training:grouping-member", args=[proposal.pk, dana.pk]),
                {"action": "remove"})
    body = client.get(detail_url(proposal)).content.decode()
    assert "Dana Dahl" in body[body.index("Tagits ut ur förslaget"):]
    dana.refresh_from_db()
    assert dana.group is None


def test_choosing_a_session_for_a_group(login, coordinator, region, setting):
    proposal = propose(setting, region)
    regular = proposal.groups.get(level=Session.GroupLevel.REGULAR)
    later = make_session(setting["course"], meetings=[meeting(day(40))],
                         municipality=region.ale, label="Senare tillfälle")
    url = reverse("training:grouping-group", args=[proposal.pk, regular.pk])
    page = login(coordinator).get(url).content.decode()
    assert "Senare tillfälle" in page
    assert setting["small"].label == "" and f'value="{setting["small"].pk}"' not in page
    login(coordinator).post(url, {"session": later.pk})
    regular.refresh_from_db()
    assert regular.session == later


def test_confirming_enrols_once_and_shows_who_was_not_enrolled(login, coordinator, region,
                                                                setting):
    proposal = propose(setting, region)
    other = make_session(make_course(region.programme, title="Annan kurs"),
                         meetings=[meeting(day(21))])
    Enrolment.objects.create(session=other, person=region.bertil,
                             status=Enrolment.Status.ENROLLED, source=Enrolment.Source.SELF)
    client = login(coordinator)
    url = reverse("training:grouping-confirm", args=[proposal.pk])
    body = client.get(detail_url(proposal)).content.decode()
    assert "Bokade på en annan utbildning samtidigt" in body  # warned before confirming
    client.post(url)
    client.post(url)
    enrolled = Enrolment.objects.filter(source=Enrolment.Source.GROUP_FORMATION)
    assert sorted(enrolled.values_list("person__first_name", flat=True)) == ["Anna", "Dana"]
    body = client.get(detail_url(proposal)).content.decode()
    assert "Kunde inte anmälas" in body
    assert "Bertil Berg" in body and "Annan kurs" in body
    bertil = proposal.members.get(person=region.bertil)
    assert bertil.outcome == ProposalMember.Outcome.REFUSED
    response = client.post(reverse("training:grouping-member", args=[proposal.pk, bertil.pk]),
                           {"action": "remove"}, follow=True)
    assert "kan inte längre ändras" in response.content.decode()
    bertil.refresh_from_db()
    assert bertil.group is not None


def test_a_proposal_can_be_deleted_before_but_not_after_confirmation(login, coordinator,
                                                                     region, setting):
    client = login(coordinator)
    first = propose(setting, region)
    client.post(reverse("training:grouping-delete", args=[first.pk]))
    assert not GroupProposal.objects.filter(pk=first.pk).exists()
    second = propose(setting, region)
    grouping.confirm_proposal(second, by=coordinator)
    client.post(reverse("training:grouping-delete", args=[second.pk]))
    assert GroupProposal.objects.filter(pk=second.pk).exists()


def test_looking_again_places_groups_in_new_sessions(login, coordinator, region, setting):
    setting["regular"].status = Session.Status.CANCELLED
    setting["regular"].save(update_fields=["status"])
    proposal = propose(setting, region)
    regular = proposal.groups.get(level=Session.GroupLevel.REGULAR)
    assert regular.session is None
    client = login(coordinator)
    assert "Behöver ett tillfälle" in client.get(detail_url(proposal)).content.decode()
    new = make_session(setting["course"], meetings=[meeting(day(30))], municipality=region.ale)
    client.post(reverse("training:grouping-place", args=[proposal.pk]))
    regular.refresh_from_db()
    assert regular.session == new


def test_unit_manager_and_tjorn_coordinator_are_kept_out(login, unit_manager,
                                                         tjorn_coordinator, region, setting):
    proposal = propose(setting, region)
    assert login(unit_manager).get(detail_url(proposal)).status_code == 403
    assert login(tjorn_coordinator).get(detail_url(proposal)).status_code == 404
    listing = login(tjorn_coordinator).get(reverse("training:grouping-list")).content.decode()
    assert "Digital dokumentation" not in listing


def test_the_page_costs_the_same_queries_for_more_people(login, coordinator, region, setting,
                                                         django_assert_max_num_queries):
    client = login(coordinator)
    small = propose(setting, region)
    with django_assert_max_num_queries(20) as few:
        client.get(detail_url(small))
    for index in range(40):
        person = PersonFactory(first_name=f"P{index}", last_name="Test")
        EmploymentFactory(person=person, municipality=region.ale, units=[region.vikadamm])
    large = propose(setting, region, regular_group_size=6, small_group_size=3)
    assert large.groups.count() > small.groups.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail_url(large))
