"""Survey round pages in a browser: axe-core on every page (desktop for the programme office,
phone for a unit manager), creating and publishing a round without JavaScript, and the
public opt-out page on a phone."""

import pytest

from .browsing import scan, use_session_of, visit


@pytest.fixture
def questionnaire():
    from modig.competence.reference import load_digcomp
    from modig.surveys.tests.factories import make_questionnaire

    load_digcomp()
    return make_questionnaire()


def test_round_pages_pass_axe(desktop, phone, server, programme_admin, unit_manager, region,
                              questionnaire):
    from modig.surveys.invitations import invite_population
    from modig.surveys.tests.factories import make_round

    round_ = make_round(region.programme, questionnaire)
    invite_population(round_)
    draft = make_round(region.programme, questionnaire, name="Utkast", published=False)
    use_session_of(desktop, server, programme_admin)
    for path in ["/enkater/omgangar/", "/enkater/omgangar/ny/",
                 f"/enkater/omgangar/{round_.pk}/", f"/enkater/omgangar/{round_.pk}/andra/",
                 f"/enkater/omgangar/{round_.pk}/brev/", f"/enkater/omgangar/{draft.pk}/",
                 f"/enkater/omgangar/{draft.pk}/andra/"]:
        visit(desktop, f"{server}{path}")
        assert desktop.get_by_role("heading", level=1).count() == 1, path
    use_session_of(phone, server, unit_manager)
    for path in ["/enkater/omgangar/", f"/enkater/omgangar/{round_.pk}/",
                 f"/enkater/omgangar/{round_.pk}/brev/"]:
        visit(phone, f"{server}{path}")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"


def test_create_count_and_publish_without_javascript(no_script, server, programme_admin,
                                                     region, questionnaire):
    from modig.surveys.models import Invitation, Round

    page = no_script
    use_session_of(page, server, programme_admin)
    visit(page, f"{server}/enkater/omgangar/ny/")
    page.get_by_label("Omgångens namn").fill("Nulägesmätning våren")
    page.get_by_label("Frågeformulär").select_option(str(questionnaire.pk))
    page.get_by_label("Första dagen att svara").fill("2026-01-01")
    page.get_by_label("Sista dagen att svara").fill("2099-12-31")
    page.get_by_label("Tjörn").check()
    page.get_by_role("button", name="Räkna hur många som ingår").click()
    page.wait_for_load_state()
    scan(page)
    assert page.get_by_text("2 personer ingår.").is_visible()
    page.get_by_role("button", name="Spara som utkast").click()
    page.wait_for_load_state()
    scan(page)
    round_ = Round.objects.get()
    assert round_.published_at is None
    page.get_by_role("button", name="Publicera").click()
    page.wait_for_load_state()
    scan(page)
    assert page.get_by_text("Omgången är publicerad.").is_visible()
    round_.refresh_from_db()
    assert round_.published_at is not None
    # The invitation job is queued; run what a worker would.
    from modig.surveys.invitations import invite_population

    invite_population(round_)
    assert Invitation.objects.filter(round=round_).count() == 2


def test_opt_out_on_a_phone(phone, server, region, questionnaire):
    from modig.surveys.tests.factories import make_invitation, make_round

    invitation, token, _code = make_invitation(make_round(region.programme, questionnaire),
                                               region.anna)
    visit(phone, f"{server}/enkat/avsta/{token}/")
    assert token not in phone.url
    phone.get_by_role("button", name="Ja, skicka inga fler påminnelser").click()
    phone.wait_for_load_state()
    scan(phone)
    assert phone.get_by_role("heading", name="Du får inga fler påminnelser").is_visible()
    invitation.refresh_from_db()
    assert invitation.opted_out_at is not None
