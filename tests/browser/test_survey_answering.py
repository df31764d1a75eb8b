"""A care worker answers the self-assessment on a phone (issue 4, "Proof"): types the short code
from a letter, answers, stops, resumes in another browser with the same code, submits and sees
the profile. Every page is scanned with axe-core, and every respondent page is loaded once more
in a fresh browser (empty cache) to weigh everything it transfers: under 50 KB each.
"""

from playwright.sync_api import expect

from modig.competence.reference import load_digcomp
from modig.surveys import questionnaires, tokens
from modig.surveys.tests.factories import make_invitation, make_round

from .browsing import scan, visit
from .conftest import PHONE

PAGE_WEIGHT_LIMIT = 50 * 1024


def _weigh(browser, url: str, storage_state: dict) -> tuple[int, list[str]]:
    """Everything a first visit to the page transfers: a fresh context (empty cache) that
    carries the same cookies, so the page is the one the person sees."""
    context = browser.new_context(locale="sv-SE", storage_state=storage_state, **PHONE)
    responses = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    try:
        answer = page.goto(url)
        assert answer is not None and answer.ok, url
        page.wait_for_load_state("load")
        total, parts = 0, []
        for response in responses:
            sizes = response.request.sizes()
            body = len(response.body()) if response.status < 300 else 0
            size = max(body, sizes["responseBodySize"]) + sizes["responseHeadersSize"]
            total += size
            parts.append(f"{response.request.resource_type} {response.url} {size}")
        return total, parts
    finally:
        context.close()


class Weigher:
    """Weighs each distinct respondent page once, with the cookies the flow has at that point."""

    def __init__(self, browser):
        self.browser = browser
        self.weights: dict[str, int] = {}

    def weigh(self, page) -> None:
        url = page.url.split("?")[0]
        if url in self.weights:
            return
        total, parts = _weigh(self.browser, url, page.context.storage_state())
        self.weights[url] = total
        assert total < PAGE_WEIGHT_LIMIT, f"{url} transfers {total} bytes: {parts}"
        assert not [part for part in parts if part.startswith(("script", "font"))], parts


def answer_area_page(page, value_label: str) -> None:
    """Choose the same step for every question on a competence-area page."""
    for group in page.locator("fieldset.question").all():
        group.get_by_label(value_label, exact=True).check()


def test_answer_stop_resume_on_another_phone_submit_and_see_the_profile(browser, server, region):
    load_digcomp()
    questionnaires.load_default_questionnaires()
    questionnaire = questionnaires.freeze(questionnaires.default_questionnaire())
    round_ = make_round(region.programme, questionnaire, name="Nulägesmätning hösten 2026")
    _invitation, _token, code = make_invitation(round_, region.anna)
    typed = tokens.display_short_code(code).lower()  # as people often type it
    weigher = Weigher(browser)

    first = browser.new_context(locale="sv-SE", **PHONE)
    page = first.new_page()
    visit(page, f"{server}/svara/")
    weigher.weigh(page)
    page.get_by_label("Din kod").fill(typed)
    page.get_by_role("button", name="Fortsätt").click()

    # The start page: who sees what, how long it takes.
    expect(page.get_by_role("heading", level=1)).to_have_text(questionnaire.title_sv)
    assert page.url == f"{server}/svara/start/"
    expect(page.get_by_text("Bara du ser dina egna svar.")).to_be_visible()
    expect(page.locator(".facts li").first).to_contain_text("Det tar ungefär 10 minuter.")
    scan(page)
    weigher.weigh(page)
    page.get_by_role("link", name="Börja").click()  # a link: the first page starts it

    # Page 1: about you.
    expect(page.get_by_text("Sida 1 av 7")).to_be_visible()
    scan(page)
    weigher.weigh(page)
    assert page.get_by_label("Var arbetar du?").locator("option:checked").inner_text() \
        == "Vikadamm boende"
    page.get_by_role("group", name="Hur länge har du arbetat i vård och omsorg?") \
        .get_by_label("6–15 år").check()
    page.get_by_role("button", name="Nästa").click()

    # Page 2: the first competence area.
    expect(page.get_by_text("Sida 2 av 7")).to_be_visible()
    scan(page)
    weigher.weigh(page)
    answer_area_page(page, "Jag kan det här själv")
    page.get_by_role("button", name="Nästa").click()

    # Page 3: one answer, then stop.
    expect(page.get_by_text("Sida 3 av 7")).to_be_visible()
    first_question = page.locator("fieldset.question").first
    first_question.get_by_label("Jag kan det här med hjälp", exact=True).check()
    page.get_by_role("button", name="Spara och fortsätt senare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina svar är sparade")
    scan(page)
    weigher.weigh(page)
    first.close()

    # Another phone, the same code: back on page 3 with the earlier answers in place.
    second = browser.new_context(locale="sv-SE", **PHONE)
    page = second.new_page()
    visit(page, f"{server}/svara/")
    page.get_by_label("Din kod").fill(code)
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_text("Sida 3 av 7")).to_be_visible()
    assert page.url == f"{server}/svara/sida/3/"
    first_question = page.locator("fieldset.question").first
    expect(first_question.get_by_label("Jag kan det här med hjälp", exact=True)).to_be_checked()
    scan(page)
    weigher.weigh(page)
    page.get_by_role("button", name="Föregående").click()
    expect(page.get_by_text("Sida 2 av 7")).to_be_visible()
    for group in page.locator("fieldset.question").all():
        expect(group.get_by_label("Jag kan det här själv", exact=True)).to_be_checked()
    page.get_by_role("button", name="Nästa").click()

    # The rest: pages 3 to 5, then the last page of questions, 6, with one question left.
    for number, label in ((3, "Jag kan det här och känner mig säker"),
                          (4, "Jag kan inte det här"), (5, "Jag kan det här själv")):
        expect(page.get_by_text(f"Sida {number} av 7")).to_be_visible()
        assert page.url == f"{server}/svara/sida/{number}/"  # the address shows this page
        answer_area_page(page, label)
        scan(page)
        weigher.weigh(page)
        page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_text("Sida 6 av 7")).to_be_visible()
    expect(page.get_by_text("Det här är den sista sidan med frågor.")).to_be_visible()
    expect(page.get_by_role("button", name="Nästa")).to_have_count(0)
    questions = page.locator("fieldset.question").all()
    for group in questions[1:]:
        group.get_by_label("Vet inte / gäller inte mig", exact=True).check()
    scan(page)
    weigher.weigh(page)
    page.get_by_role("button", name="Skicka mina svar").click()

    # Not sent: the last page says what is left; from there the answers can be sent as they are.
    expect(page.get_by_text("Sida 7 av 7")).to_be_visible()
    expect(page.get_by_text("Du har lämnat 1 fråga utan svar.")).to_be_visible()
    scan(page)
    weigher.weigh(page)
    # A double tap on "Send": two submits on their way, one response.
    page.get_by_role("button", name="Skicka mina svar").dblclick()

    expect(page.get_by_role("heading", level=1)).to_have_text("Din profil")
    assert page.url == f"{server}/svara/din-profil/"
    expect(page.get_by_text("Tack! Dina svar är skickade och sparade.")).to_be_visible()
    expect(page.get_by_role("heading", name="Här kan du lära dig mest")).to_be_visible()
    expect(page.get_by_role("heading", name="Föreslagna utbildningar")).to_be_visible()
    scan(page)
    weigher.weigh(page)

    from modig.surveys.models import Response

    assert Response.objects.filter(round=round_).count() == 1
    assert Response.objects.filter(round=round_, submitted_at__isnull=False).count() == 1
    second.close()
    assert len(weigher.weights) >= 10, weigher.weights
    print("Page weights (bytes):", weigher.weights)


def test_the_code_page_works_without_javascript_and_explains_a_wrong_code(no_script, server,
                                                                         region):
    page = no_script
    visit(page, f"{server}/svara/")
    page.get_by_label("Din kod").fill("ABCD")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("alert")).to_contain_text("En kod har 10 bokstäver och siffror")
    scan(page)
