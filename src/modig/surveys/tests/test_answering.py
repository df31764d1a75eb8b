"""Answering a self-assessment through the respondent pages (issue 4, "Answering")."""

import datetime
import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from modig.surveys import answering, tokens
from modig.surveys.models import Answer, FailedCodeAttempt, Invitation, Item, Response, Round
from modig.surveys.respond_views import COOKIE_NAME
from modig.surveys.tests.factories import make_invitation, make_round

ENTRY = reverse("surveys:respond-entry")
START = reverse("surveys:respond-start")
PROFILE = reverse("surveys:respond-profile")


def page_url(number: int) -> str:
    return reverse("surveys:respond-page", kwargs={"number": number})


@pytest.fixture
def survey(region):
    round_ = make_round(region.programme)
    invitation, token, code = make_invitation(round_, region.anna)
    return round_, invitation, token, code


def structure_of(round_: Round) -> answering.Structure:
    return answering.round_structure(round_)


def start(client: Client, code: str) -> None:
    """Type the code and follow "Begin" (a link); the browser is then on page 1."""
    response = client.post(ENTRY, {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.headers["Location"] == START:
        assert f'href="{page_url(1)}"' in client.get(START).content.decode()
    assert client.get(page_url(1)).status_code == 200


def rating_data(page: answering.Page, value: int, action: str = "next") -> dict:
    return {**{f"item-{item.pk}": value for item in page.items}, "action": action}


def answer_everything(client: Client, round_: Round, value: int = 3) -> None:
    structure = structure_of(round_)
    for page in structure.pages:
        if page.kind == answering.PageKind.AREA:
            assert client.post(page_url(page.number), rating_data(page, value)).status_code == 302
        elif page.kind == answering.PageKind.BACKGROUND:
            assert client.post(page_url(page.number), {"action": "next"}).status_code == 302


def submit(client: Client, round_: Round):
    return client.post(page_url(structure_of(round_).page_count), {"action": "submit"})


# Entry ----------------------------------------------------------------------------------------

def test_link_ties_the_browser_to_the_invitation_and_leaves_the_token_behind(client, survey):
    round_, _invitation, token, _code = survey
    response = client.get(reverse("surveys:respond-link", kwargs={"token": token}))
    assert response.status_code == 302
    assert response.headers["Location"] == START
    assert token not in response.cookies[COOKIE_NAME].value
    page = client.get(START)
    assert page.status_code == 200
    assert round_.questionnaire.title_sv in page.content.decode()


def test_short_code_is_forgiving_about_case_spaces_dashes_and_look_alikes(client, survey):
    _round, _invitation, _token, code = survey
    typed = tokens.display_short_code(code).lower().replace("0", "o").replace("-", " - ")
    response = client.post(ENTRY, {"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == START
    assert client.get(START).status_code == 200


def test_start_creates_the_response_with_group_attributes(client, survey, region):
    round_, invitation, _token, code = survey
    start(client, code)
    response = Response.objects.get()
    assert response.invitation == invitation
    assert response.round == round_
    assert response.respondent_key == region.anna.pseudonym
    assert response.municipality == region.ale
    assert response.unit == region.vikadamm
    employment = region.anna.employments.get()
    assert response.occupation_id == employment.occupation_id
    assert response.staff_category == employment.staff_category
    assert response.current_page == 1


def test_begin_is_a_link_and_the_first_page_starts_the_response_once(client, survey):
    _round, _invitation, _token, code = survey
    client.post(ENTRY, {"code": code})
    text = client.get(START).content.decode()
    assert f'<a class="button" href="{page_url(1)}">Börja</a>' in text
    assert Response.objects.count() == 0  # reading the start page starts nothing
    first = client.get(page_url(1))
    assert first.status_code == 200
    assert Response.objects.count() == 1
    assert client.get(page_url(1)).status_code == 200  # a reload: still one response
    assert Response.objects.count() == 1
    # Back on the start page, the button goes on where the person stopped.
    client.post(page_url(1), {"action": "next"})
    text = client.get(START).content.decode()
    assert f'href="{page_url(2)}">Fortsätt där du slutade</a>' in text


def test_a_start_page_posted_from_before_begin_became_a_link_still_starts(client, survey):
    _round, _invitation, _token, code = survey
    client.post(ENTRY, {"code": code})
    assert client.post(START).headers["Location"] == page_url(1)
    assert Response.objects.count() == 1


def test_anonymous_round_response_carries_no_pseudonym(client, region):
    round_ = make_round(region.programme, anonymity=Round.Anonymity.ANONYMOUS)
    _invitation, _token, code = make_invitation(round_, region.anna)
    start(client, code)
    assert Response.objects.get().respondent_key is None


def test_start_twice_keeps_one_response(survey):
    _round, invitation, _token, _code = survey
    first = answering.start_response(answering.load_invitation(invitation.pk))
    # A second request that loaded the invitation before the first one saved its response.
    stale = Invitation.objects.select_related("round").get(pk=invitation.pk)
    stale.response = None
    second = answering.start_response(stale)
    assert first.pk == second.pk
    assert Response.objects.count() == 1


# Clear messages --------------------------------------------------------------------------------

def test_malformed_code_says_what_a_code_looks_like(client, survey):
    response = client.post(ENTRY, {"code": "ABC"})
    assert response.status_code == 200
    assert "En kod har 10 bokstäver och siffror" in response.content.decode()
    assert FailedCodeAttempt.objects.count() == 0


def test_unknown_code_asks_to_check_it_and_counts_as_a_wrong_try(client, survey):
    response = client.post(ENTRY, {"code": "QRST-VWXY-Z9"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vi hittade ingen enkät med den koden" in text
    assert 'value="QRST-VWXY-Z9"' in text  # kept in the field, to be corrected
    assert FailedCodeAttempt.objects.count() == 1
    assert COOKIE_NAME not in response.cookies


def test_unknown_link_says_so_and_offers_the_code(client, survey):
    response = client.get(reverse("surveys:respond-link", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()
    assert FailedCodeAttempt.objects.count() == 1


@pytest.mark.parametrize(("change", "expected"), [
    ({"closed_at": "now"}, "Enkäten är stängd"),
    ({"closes_on": -2, "opens_on": -10}, "Enkäten är stängd"),
    ({"opens_on": 3, "closes_on": 20}, "Enkäten har inte öppnat än"),
])
def test_round_that_is_not_open_says_so(client, region, change, expected):
    today = timezone.localdate()
    fields = {key: (timezone.now() if value == "now" else today + datetime.timedelta(days=value))
              for key, value in change.items()}
    round_ = make_round(region.programme, **{k: v for k, v in fields.items()
                                             if k != "closed_at"})
    if "closed_at" in fields:
        Round.objects.filter(pk=round_.pk).update(closed_at=fields["closed_at"])
    _invitation, _token, code = make_invitation(round_, region.anna)
    response = client.post(ENTRY, {"code": code}, follow=True)
    assert expected in response.content.decode()
    assert client.post(START).status_code == 200  # the message again, no response started
    assert client.get(page_url(1)).headers["Location"] == START
    assert Response.objects.count() == 0


def test_opted_out_invitation_says_so(client, survey):
    _round, invitation, _token, code = survey
    Invitation.objects.filter(pk=invitation.pk).update(opted_out_at=timezone.now())
    response = client.post(ENTRY, {"code": code}, follow=True)
    assert "Du har sagt nej till den här enkäten" in response.content.decode()


def test_used_code_says_already_answered_and_links_to_the_profile(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    answer_everything(client, round_)
    submit(client, round_)
    other_device = Client()
    response = other_device.post(ENTRY, {"code": code}, follow=True)
    text = response.content.decode()
    assert "Du har redan svarat" in text
    assert PROFILE in text
    assert other_device.get(PROFILE).status_code == 200


def test_code_from_another_round_asks_before_switching(client, survey, region):
    round_, _invitation, _token, code = survey
    start(client, code)
    other_round = make_round(region.programme, round_.questionnaire, name="Uppföljning våren")
    _other, _token2, other_code = make_invitation(other_round, region.anna)
    response = client.post(ENTRY, {"code": other_code})
    assert response.headers["Location"] == reverse("surveys:respond-switch")
    text = client.get(reverse("surveys:respond-switch")).content.decode()
    assert "Koden gäller en annan enkät" in text
    assert "Uppföljning våren" in text
    # Staying keeps the first survey.
    stay = client.post(reverse("surveys:respond-switch"), {"action": "stay"})
    assert stay.headers["Location"] == page_url(1)
    assert "Nulägesmätning hösten" in client.get(page_url(1)).content.decode()
    # Switching after confirming opens the other one.
    client.post(ENTRY, {"code": other_code})
    switch = client.post(reverse("surveys:respond-switch"), {"action": "switch"})
    assert switch.headers["Location"] == START
    assert "Uppföljning våren" in client.get(START).content.decode()


# Wrong codes from one address ---------------------------------------------------------------

def test_too_many_wrong_codes_are_refused_with_429_and_logged_without_the_code(
        client, survey, caplog):
    _round, _invitation, _token, code = survey
    wrong = [f"ABCD-EFGH-J{c}" for c in "KMNPQ"]
    with caplog.at_level(logging.WARNING, logger="modig.surveys"):
        statuses = [client.post(ENTRY, {"code": typed}).status_code for typed in wrong]
        refused = client.post(ENTRY, {"code": code})
    assert statuses == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert "För många försök" in refused.content.decode()
    assert COOKIE_NAME not in refused.cookies
    records = [r for r in caplog.records if r.name == "modig.surveys"]
    assert records, "the slow-down is logged"
    for record in records:
        line = record.getMessage() + repr(record.__dict__)
        assert code not in line and tokens.display_short_code(code) not in line
        for typed in wrong:
            assert typed not in line and typed.replace("-", "") not in line
    # Another address is not affected.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert elsewhere.post(ENTRY, {"code": code}).status_code == 302


def test_wrong_tries_older_than_the_window_do_not_count(client, survey):
    _round, _invitation, _token, code = survey
    long_ago = timezone.now() - answering.FAILED_CODE_WINDOW - datetime.timedelta(seconds=5)
    FailedCodeAttempt.objects.bulk_create(
        [FailedCodeAttempt(ip_address="127.0.0.1", at=long_ago) for _ in range(10)])
    assert client.post(ENTRY, {"code": code}).status_code == 302


def test_wrong_links_count_towards_the_limit(client, survey):
    _round, _invitation, token, _code = survey
    for n in range(answering.FAILED_CODE_LIMIT):
        client.get(reverse("surveys:respond-link", kwargs={"token": f"guess{n}xx"}))
    refused = client.get(reverse("surveys:respond-link", kwargs={"token": token}))
    assert refused.status_code == 429


# Pages and saving -----------------------------------------------------------------------------

def test_every_page_shows_progress_and_each_rating_has_the_full_scale(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    structure = structure_of(round_)
    assert structure.pages[0].kind == answering.PageKind.BACKGROUND
    area_page = structure.page(2)
    text = client.get(page_url(2)).content.decode()
    assert f"Sida 2 av {structure.page_count}" in text
    for item in area_page.items:
        assert text.count(f'name="item-{item.pk}"') == 6
        assert f"<legend>{item.text_sv}</legend>" in text
    for label in ("Jag kan inte det här", "Jag kan det här och hjälpa andra",
                  "Vet inte / gäller inte mig"):
        assert label in text


def test_pages_follow_the_areas_in_order(survey):
    round_ = survey[0]
    structure = structure_of(round_)
    areas = [page.area for page in structure.pages if page.kind == answering.PageKind.AREA]
    assert [a.position for a in areas] == sorted(a.position for a in areas)
    assert len(areas) == 5
    for page in structure.pages[1:-1]:
        assert {item.competence.area_id for item in page.items} == {page.area.pk}


def test_each_page_is_saved_as_the_person_goes(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    page = structure_of(round_).page(2)
    response = client.post(page_url(2), rating_data(page, 4))
    assert response.headers["Location"] == page_url(3)
    stored = Response.objects.get()
    assert stored.current_page == 3
    assert dict(Answer.objects.values_list("item_id", "value")) == {i.pk: 4 for i in page.items}
    # Changing an answer updates the same row; leaving one empty removes it.
    first, _second = page.items[:2]
    client.post(page_url(2), {f"item-{first.pk}": 0, "action": "previous"})
    assert dict(Answer.objects.values_list("item_id", "value")) == {first.pk: 0}
    assert Response.objects.get().current_page == 1


def test_background_answers_land_on_the_response_columns(client, survey, region):
    round_, _invitation, _token, code = survey
    start(client, code)
    from modig.organisation.models import Occupation

    occupation = Occupation.objects.exclude(
        pk=region.anna.employments.get().occupation_id).first()
    years = Item.objects.get(questionnaire=round_.questionnaire,
                             background_field=Item.BackgroundField.YEARS_IN_CARE)
    page = client.get(page_url(1)).content.decode()
    assert "Vikadamm boende" in page and "Solgården" not in page
    response = client.post(page_url(1), {
        "unit": region.nodinge.pk, "occupation": occupation.pk, "years_in_care": 2,
        "action": "next",
    })
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.unit, stored.occupation, stored.years_in_care) == (
        region.nodinge, occupation, 2)
    assert not Answer.objects.filter(item=years).exists()


def test_an_answer_not_offered_is_refused_and_nothing_is_saved(client, survey, region):
    round_, _invitation, _token, code = survey
    start(client, code)
    page = structure_of(round_).page(2)
    data = rating_data(page, 3)
    data[f"item-{page.items[0].pk}"] = 9
    response = client.post(page_url(2), data)
    assert response.status_code == 400
    assert "Inget sparades" in response.content.decode()
    assert Answer.objects.count() == 0
    other_unit = client.post(page_url(1), {"unit": region.solgarden.pk, "action": "next"})
    assert other_unit.status_code == 400
    assert Response.objects.get().unit == region.vikadamm


def test_stop_and_resume_on_another_device_lands_where_it_stopped(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    structure = structure_of(round_)
    client.post(page_url(1), {"years_in_care": 3, "action": "next"})
    client.post(page_url(2), rating_data(structure.page(2), 5))
    later = client.post(page_url(3), rating_data(structure.page(3), 2, action="later"))
    assert later.headers["Location"] == reverse("surveys:respond-saved")
    assert later.cookies[COOKIE_NAME].value == ""  # a shared phone forgets the survey
    assert client.get(page_url(3)).headers["Location"] == ENTRY

    phone = Client(REMOTE_ADDR="10.9.9.9")
    response = phone.post(ENTRY, {"code": code})
    assert response.headers["Location"] == page_url(3)
    text = phone.get(page_url(3)).content.decode()
    for item in structure.page(3).items:
        assert f'name="item-{item.pk}" value="2" checked' in text
    text = phone.get(page_url(2)).content.decode()
    for item in structure.page(2).items:
        assert f'name="item-{item.pk}" value="5" checked' in text
    assert 'value="3" checked' in phone.get(page_url(1)).content.decode()


def test_last_page_counts_the_unanswered_questions(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    structure = structure_of(round_)
    client.post(page_url(2), rating_data(structure.page(2), 3))
    text = client.get(page_url(structure.page_count)).content.decode()
    missing = len(structure.rating_items) - len(structure.page(2).items)
    assert f"Du har lämnat {missing} frågor utan svar" in text


# Submitting ----------------------------------------------------------------------------------

def test_submit_twice_gives_one_submitted_response(client, survey):
    round_, invitation, _token, code = survey
    start(client, code)
    answer_everything(client, round_)
    first = submit(client, round_)
    assert first.headers["Location"] == PROFILE
    submitted_at = Invitation.objects.get().submitted_at
    assert submitted_at is not None
    second = submit(client, round_)
    assert second.headers["Location"] == PROFILE
    assert Response.objects.count() == 1
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    assert Invitation.objects.get().submitted_at == submitted_at
    # Submitting again through the service changes nothing either.
    stored = Response.objects.get()
    assert answering.submit_response(invitation, stored) is False


def test_pseudonymous_submit_keeps_the_key_and_reopens_the_profile(client, survey, region):
    round_, _invitation, _token, code = survey
    start(client, code)
    answer_everything(client, round_)
    submit(client, round_)
    stored = Response.objects.get()
    assert stored.respondent_key == region.anna.pseudonym
    assert stored.invitation_id is not None
    # After submitting, pages cannot change the answers any more.
    page = structure_of(round_).page(2)
    assert client.post(page_url(2), rating_data(page, 1)).headers["Location"] == PROFILE
    assert set(Answer.objects.values_list("value", flat=True)) == {3}


def test_anonymous_submit_cuts_the_link_and_shows_the_profile_only_here(client, region):
    round_ = make_round(region.programme, anonymity=Round.Anonymity.ANONYMOUS)
    invitation, _token, code = make_invitation(round_, region.anna)
    start(client, code)
    answer_everything(client, round_, value=4)
    response = submit(client, round_)
    assert response.headers["Location"] == PROFILE
    stored = Response.objects.get()
    assert stored.invitation_id is None
    assert stored.respondent_key is None
    assert stored.submitted_at is not None
    assert Invitation.objects.get(pk=invitation.pk).submitted_at is not None
    assert client.get(PROFILE).status_code == 200
    # A double tap after the cut still ends on the profile, and nothing is doubled.
    assert submit(client, round_).headers["Location"] == PROFILE
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    # Another device with the same code learns only that it was answered.
    other = Client(REMOTE_ADDR="10.0.0.7")
    text = other.post(ENTRY, {"code": code}, follow=True).content.decode()
    assert "Du har redan svarat" in text
    assert other.get(PROFILE).headers["Location"] == START


def test_profile_shows_own_answers_in_words_and_the_lowest_area(client, survey, region):
    round_, _invitation, _token, code = survey
    structure = structure_of(round_)
    start(client, code)
    for page in structure.pages:
        if page.kind == answering.PageKind.AREA:
            value = 1 if page.number == 2 else 4
            client.post(page_url(page.number), rating_data(page, value))
    submit(client, round_)
    # Someone else in the same round answers very differently.
    _bertil_invitation, _t, bertil_code = make_invitation(round_, region.bertil)
    other = Client(REMOTE_ADDR="10.0.0.8")
    start(other, bertil_code)
    answer_everything(other, round_, value=5)
    text = client.get(PROFILE).content.decode()
    lowest = structure.page(2).area
    assert "Det här är nytt för dig" in text
    assert "Du känner dig säker" in text
    assert "Du känner dig mycket säker" not in text  # Bertil's fives are not in Anna's profile
    assert "Här kan du lära dig mest" in text
    assert text.index(lowest.title_sv) < text.index("Du känner dig säker")
    assert "Föreslagna utbildningar" in text


def test_profile_needs_a_submitted_response(client, survey):
    _round, _invitation, _token, code = survey
    assert client.get(PROFILE).headers["Location"] == ENTRY
    start(client, code)
    assert client.get(PROFILE).headers["Location"] == START


def test_a_made_up_cookie_is_ignored(client, survey):
    _round, invitation, _token, _code = survey
    client.cookies[COOKIE_NAME] = f"{invitation.pk}.."
    assert client.get(START).headers["Location"] == ENTRY


def test_secret_never_appears_in_the_pages_after_the_link(client, survey):
    _round, _invitation, token, code = survey
    response = client.get(reverse("surveys:respond-link", kwargs={"token": token}), follow=True)
    assert response.redirect_chain[-1][0] == START
    assert token not in response.content.decode()
    assert code not in response.content.decode()


def test_time_estimate_follows_the_number_of_questions(survey):
    structure = structure_of(survey[0])
    # 3 background questions and 10 ratings: 30 + 200 + 60 seconds.
    assert (len(structure.background_items), len(structure.rating_items)) == (3, 10)
    assert structure.minutes == 5
    longer = answering.Structure(0, (), rating_items=tuple(range(29)) * 1,
                                 background_items=tuple(range(4)))
    assert longer.minutes == 10  # 12 minutes said as "about 10"


def test_a_page_saved_after_a_submit_elsewhere_changes_nothing(client, survey):
    round_, invitation, _token, code = survey
    start(client, code)
    structure = structure_of(round_)
    client.post(page_url(2), rating_data(structure.page(2), 3))
    # The browser loaded the response, then another device submitted it.
    loaded = answering.load_invitation(invitation.pk)
    response = loaded.response
    answering.submit_response(answering.load_invitation(invitation.pk), Response.objects.get())
    saved = answering.save_page(response, structure.page(2),
                                ratings={i.pk: 1 for i in structure.page(2).items},
                                background={}, go_to=3)
    assert saved is False
    assert set(Answer.objects.values_list("value", flat=True)) == {3}


def test_a_page_save_reads_the_next_pages_answers_as_they_were_saved(client, survey,
                                                                     django_assert_num_queries):
    """save_page's `then_read`: the answers of the page shown next come with the save (one
    statement on PostgreSQL) and equal a reading of their own; items of the page being saved
    come from the values saved, not from the statement's snapshot of before the save."""
    round_, invitation, _token, code = survey
    start(client, code)
    structure = structure_of(round_)
    two, three = structure.page(2), structure.page(3)
    client.post(page_url(3), rating_data(three, 4))
    client.post(page_url(3), {k: v for k, v in rating_data(three, 2).items()
                              if k != f"item-{three.items[0].pk}"})  # one left empty
    response = answering.load_invitation(invitation.pk).response
    assert answering.save_page(response, two, ratings={i.pk: 5 for i in two.items},
                               background={}, go_to=3, then_read=three.item_ids)
    expected = dict(Answer.objects.filter(response=response, item__in=three.items)
                    .values_list("item_id", "value"))
    assert len(expected) == len(three.items) - 1
    reads = 0 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(reads):
        assert answering.saved_answers(response, three.item_ids) == expected
    # Asked for every rating, the page it saves included: the answers after the save (the
    # page's new values, one of them cleared), as a reading of their own gives them.
    response = answering.load_invitation(invitation.pk).response
    every = [item.pk for item in structure.rating_items]
    ratings = {i.pk: 1 for i in two.items} | {two.items[0].pk: None}
    assert answering.save_page(response, two, ratings=ratings, background={}, go_to=2,
                               then_read=every)
    with django_assert_num_queries(reads):
        read = answering.saved_answers(response, every)
    assert read == dict(Answer.objects.filter(response=response).values_list("item_id", "value"))
    assert two.items[0].pk not in read and read[two.items[1].pk] == 1


def test_item_texts_and_scale_follow_the_language(client, survey):
    round_, _invitation, _token, code = survey
    start(client, code)
    client.post(reverse("set_language"), {"language": "en", "next": page_url(2)})
    text = client.get(page_url(2)).content.decode()
    item = structure_of(round_).page(2).items[0]
    assert f"<legend>{item.text_en}</legend>" in text
    assert "I can do this and help others" in text
    assert "Page 2 of" in text


def test_the_response_copies_the_employment_in_the_municipality_invited_in(client, region):
    """answering._group_facts: of the person's active employments, the one where they were
    invited (not the other, not an inactive one), with its lowest target group."""
    from modig.organisation.models import Employment, Occupation, TargetGroup

    round_ = make_round(region.programme)
    occupations = list(Occupation.objects.order_by("pk")[:3])
    groups = list(TargetGroup.objects.order_by("pk")[:2])
    ale = region.dual.employments.get(municipality=region.ale)
    tjorn = region.dual.employments.get(municipality=region.tjorn)
    Employment.objects.filter(pk=ale.pk).update(occupation=occupations[0], staff_category="")
    Employment.objects.filter(pk=tjorn.pk).update(occupation=occupations[1])
    tjorn.target_groups.set(groups)
    inactive = Employment.objects.create(person=region.dual, municipality=region.tjorn,
                                         employee_id="T9", occupation=occupations[2],
                                         is_active=False)
    inactive.target_groups.set(groups[:1])
    invitation, _token, code = make_invitation(round_, region.dual)
    Invitation.objects.filter(pk=invitation.pk).update(municipality=region.tjorn,
                                                       unit=region.solgarden)
    start(client, code)
    response = Response.objects.get()
    assert response.occupation_id == occupations[1].pk
    assert response.target_group_id == min(group.pk for group in groups)
    assert response.staff_category == tjorn.staff_category
    assert response.respondent_key == region.dual.pseudonym
    assert response.municipality == region.tjorn


def test_a_person_without_an_active_employment_still_gets_a_response(client, survey, region):
    _round, _invitation, _token, code = survey
    region.anna.employments.update(is_active=False)
    start(client, code)
    response = Response.objects.get()
    assert response.occupation_id is None and response.target_group_id is None
    assert response.staff_category == ""
    assert response.respondent_key == region.anna.pseudonym
