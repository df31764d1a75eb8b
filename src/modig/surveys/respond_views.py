"""The respondent's pages: no account, opened from a link or a short code (issue 4, "Answering").

Which invitation a browser is answering is kept in a signed cookie of its own (the invitation
id, never the token or the code), so the secret leaves the address bar after the first redirect
and every later page is a plain, token-free URL. The cookie is signed with the server's key, so
it cannot be made up; it costs no database query, unlike the database-backed session.

Every page is a plain HTML form (no JavaScript needed) that posts its answers forward, to the
page the person goes to, which answers with that page (see respond_page): one request per page.
The address bar always shows the page on the screen; a reload sends the same answers again,
which changes nothing. The cost: the browser's own back button, on a page reached by a POST,
asks whether to send the form again (the pages are never cached: they show a person's
answers); each page has its own "Previous" button, which is the way back the pages offer.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_http_methods

from modig.accounts.access import client_ip
from modig.lib.csrf_tokens import masked_token
from modig.surveys import answering
from modig.surveys.answering import PageKind, Status
from modig.surveys.respond_forms import CodeForm, PageForm, escape

COOKIE_NAME = "modig_svar"
COOKIE_SALT = "modig.surveys.respond"
COOKIE_MAX_AGE = 60 * 60 * 12  # a working day: after that, the link or code again


# The respondent's cookie -------------------------------------------------------------------------

@dataclass
class Visit:
    """What the browser carries: the invitation being answered, the response it started (so
    the person sees their profile after an anonymous submit cuts the link), and an invitation
    waiting for the person to confirm a switch to another round."""

    invitation_id: int | None = None
    response_id: int | None = None
    pending_id: int | None = None

    def dumps(self) -> str:
        return ".".join("" if v is None else str(v)
                        for v in (self.invitation_id, self.response_id, self.pending_id))

    @classmethod
    def loads(cls, value: str) -> "Visit":
        try:
            parts = [int(part) if part else None for part in value.split(".")]
            return cls(*parts[:3])
        except (TypeError, ValueError):
            return cls()


def read_visit(request) -> Visit:
    value = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT,
                                      max_age=COOKIE_MAX_AGE)
    return Visit.loads(value) if value else Visit()


def write_visit(response: HttpResponse, visit: Visit) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE_NAME, visit.dumps(), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget_visit(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response


def respondent_page(view):
    """Public (no log-in), and never cached by a browser or a proxy: the pages show a person's
    own answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    return login_not_required(wrapper)


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"surveys/respond/{template}", context, status=status)


def _throttled(request) -> HttpResponse:
    return _render(request, "throttled.html", {
        "minutes": int(answering.FAILED_CODE_WINDOW.total_seconds() // 60),
    }, status=429)


# Entry: link and short code ---------------------------------------------------------------------

def _enter(request, invitation) -> HttpResponse:
    """Tie the browser to the invitation and go on without the secret in the address."""
    visit = read_visit(request)
    if visit.invitation_id and visit.invitation_id != invitation.pk:
        current = answering.load_invitation(visit.invitation_id)
        if (current is not None and current.round_id != invitation.round_id
                and answering.in_progress_response(current) is not None
                and answering.invitation_status(current) == Status.OPEN):
            visit.pending_id = invitation.pk
            return write_visit(redirect("surveys:respond-switch"), visit)
    return write_visit(_next_step(invitation), _visit_for(invitation, previous=visit))


def _visit_for(invitation, *, previous: Visit) -> Visit:
    response = getattr(invitation, "response", None)
    response_id = response.pk if response is not None else None
    if response_id is None and previous.invitation_id == invitation.pk:
        response_id = previous.response_id  # an anonymous response already cut loose
    return Visit(invitation.pk, response_id)


def _next_step(invitation) -> HttpResponse:
    response = answering.in_progress_response(invitation)
    if response is not None and answering.invitation_status(invitation) == Status.OPEN:
        return redirect("surveys:respond-page", number=max(1, response.current_page))
    return redirect("surveys:respond-start")


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_entry(request):
    """The short address: type the code from the letter."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        ip_address = client_ip(request)
        if answering.is_throttled(ip_address):
            answering.log_refused_attempt(ip_address)
            return _throttled(request)
        if form.is_valid():
            invitation, problem = answering.find_by_code(form.cleaned_data["code"])
            if invitation is not None:
                return _enter(request, invitation)
            if problem == answering.Problem.MALFORMED:
                form.add_error("code", _msg_malformed())
            else:
                answering.record_failed_attempt(ip_address, what="code")
                if answering.is_throttled(ip_address):
                    return _throttled(request)
                form.add_error("code", _msg_unknown())
    return _render(request, "entry.html", {"form": form})


def _msg_malformed() -> str:
    return gettext("A code has 10 letters and digits, for example ABCD-EFGH-JK. Check the code "
                   "in your letter and type it again.")


def _msg_unknown() -> str:
    return gettext("We found no survey with that code. Check that you typed it as it is in "
                   "your letter. If it still does not work, ask your manager for a new letter.")


def _redact_path(request) -> None:
    """Keep the token out of anything that logs this request later (Django's request log on
    an error, for one): it reads request.path and these environ keys."""
    safe = reverse("surveys:respond-link", kwargs={"token": "x"}).replace("/x/", "/…/")
    request.path = request.path_info = safe
    for key in ("PATH_INFO", "RAW_URI", "REQUEST_URI"):
        if key in request.META:
            request.META[key] = safe


@respondent_page
@require_http_methods(["GET"])
def respond_link(request, token: str):
    """The personal link from an e-mail, a text message or a QR code."""
    _redact_path(request)
    ip_address = client_ip(request)
    if answering.is_throttled(ip_address):
        answering.log_refused_attempt(ip_address)
        return _throttled(request)
    invitation = answering.find_by_token(token)
    if invitation is None:
        answering.record_failed_attempt(ip_address, what="link")
        return _render(request, "bad_link.html", {}, status=404)
    return _enter(request, invitation)


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_switch(request):
    """A code for another round while a survey is half answered: switch only when confirmed."""
    visit = read_visit(request)
    current = answering.load_invitation(visit.invitation_id) if visit.invitation_id else None
    pending = answering.load_invitation(visit.pending_id) if visit.pending_id else None
    if pending is None:
        return redirect("surveys:respond-start" if current else "surveys:respond-entry")
    if current is None:
        return write_visit(_next_step(pending), Visit(pending.pk))
    if request.method == "POST":
        if request.POST.get("action") == "switch":
            return write_visit(_next_step(pending), _visit_for(pending, previous=Visit()))
        return write_visit(_next_step(current), Visit(current.pk, visit.response_id))
    return _render(request, "switch.html", {"current": current, "pending": pending})


# Start, pages, submit ----------------------------------------------------------------------------

def _invitation_or_none(request):
    visit = read_visit(request)
    if not visit.invitation_id:
        return visit, None
    return visit, answering.load_invitation(visit.invitation_id)


def _own_submitted_response(invitation, visit: Visit):
    """The person's submitted response, if this browser may show it: through the invitation in
    a pseudonymous round, through the response id this browser kept in an anonymous one."""
    if invitation is not None:
        response = getattr(invitation, "response", None)
        if response is not None and response.submitted_at is not None:
            response.round = invitation.round
            return response
    if visit.response_id:
        return answering.submitted_response(
            visit.response_id, invitation.round_id if invitation is not None else None)
    return None


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_start(request):
    """Who sees what, how long it takes, and the button to begin (or the reason not to).

    The button is a link to the first page (see respond_page); a POST here, from a start page
    loaded before that change, still starts the response and redirects."""
    visit, invitation = _invitation_or_none(request)
    if invitation is None:
        return forget_visit(redirect("surveys:respond-entry"))
    status = answering.invitation_status(invitation)
    round_ = invitation.round
    if status != Status.OPEN:
        return _render(request, "status.html", {
            "status": status, "round": round_,
            "has_profile": status == Status.SUBMITTED
            and _own_submitted_response(invitation, visit) is not None,
        })
    if request.method == "POST":
        response = answering.start_response(invitation)
        visit.response_id = response.pk
        return write_visit(
            redirect("surveys:respond-page", number=max(1, response.current_page)), visit)
    questionnaire = round_.questionnaire
    structure = answering.round_structure(round_)
    response = answering.in_progress_response(invitation)
    first_page = max(1, response.current_page) if response is not None else 1
    # start.html reads the response only for "welcome back" (whether there is one).
    return HttpResponse(_render_once(request, "start.html", {
        "round": round_, "questionnaire": questionnaire, "structure": structure,
        "response": response is not None, "first_page": first_page,
    }, (round_.pk, round_.name, round_.min_group_size, round_.is_pseudonymous,
        questionnaire.pk, questionnaire.title, questionnaire.intro, structure.minutes,
        structure.page_count, response is not None, first_page)))


def _response_for(invitation, visit: Visit):
    """(the invitation's response in progress, whether this request started it)."""
    response = answering.in_progress_response(invitation)
    if response is not None:
        return response, False
    # "Begin" on the start page is a plain link to page 1 (one request fewer per person than a
    # form posted and redirected): the response is made on the first page the person opens.
    # Safe to repeat: start_response makes at most one.
    response = answering.start_response(invitation)
    visit.response_id = response.pk
    return response, True


def _posted_page(request, structure):
    """The page whose answers a forward-posting form carries (its hidden `page` field); None
    for a form without one, which posts to its own page (PRG, see respond_page)."""
    try:
        number = int(request.POST["page"])
    except (KeyError, ValueError):
        return None
    page = structure.page(number)
    if page is None:
        raise Http404
    return page


def _save_posted(request, invitation, response, structure, page, *, go_to: int,
                 then_read: list[int] | None = None):
    """Save the answers of `page` from the POST and remember `go_to` as the person's page.
    None when saved; otherwise the reply: the page again with its errors (nothing saved), or
    the profile when the response was sent meanwhile from another device. The answers of
    `then_read`, which the reply shows, are read with the save where the database can."""
    if page.kind == PageKind.REVIEW:
        answering.move_to_page(response, go_to)
        return None
    form = _page_form(invitation, response, page, answers={})
    if not form.bind(request.POST):
        return _render(request, "page.html", {
            "round": invitation.round, "structure": structure, "page": page, "form": form,
        }, status=400)
    if not answering.save_page(response, page, ratings=form.ratings,
                               background=form.background, go_to=go_to, then_read=then_read):
        return redirect("surveys:respond-profile")
    return None


def _page_form(invitation, response, page, *, answers) -> PageForm:
    units = occupations = ()
    if page.kind == PageKind.BACKGROUND:
        units, occupations = answering.background_choices(invitation)
    return PageForm.build(page, answers=answers, response=response, units=units,
                          occupations=occupations, item_choices=answering.item_choices)


def _show_page(request, invitation, response, structure, page) -> HttpResponse:
    if page.kind == PageKind.REVIEW:
        round_ = invitation.round
        unanswered = answering.unanswered_count(response, structure)
        question_total = len(structure.rating_items)
        return HttpResponse(_render_once(request, "review.html", {
            "round": round_, "structure": structure, "page": page,
            "unanswered": unanswered, "question_total": question_total,
        }, (round_.pk, round_.name, structure.page_count, page.number, page.title, unanswered,
            question_total)))
    answers = {}
    if page.kind == PageKind.AREA:  # background answers are on the response row itself
        answers = answering.saved_answers(response, page.item_ids)
    form = _page_form(invitation, response, page, answers=answers)
    return _page_from_shell(request, invitation.round, structure, page, form)


# Rendered once, filled in per request -------------------------------------------------------
#
# Most respondent pages are the same for everyone on the same page of the same round in the
# same language: on a question page only the questions (their saved answers) and the CSRF token
# differ, on the start and the last page only the token. Rendering them through the template
# language cost about a fifth of a page's CPU time in a campaign (issue 4, "Speed and loss"), so
# each is rendered once per process for each set of inputs its template reads, with markers
# where the token (and the questions) go, and each request fills them in. The key names
# exactly what the template (and base.html) reads apart from the token and the questions, so a
# changed round name, area title, language or count is a new rendering. A page with errors is
# rendered the ordinary way (rare, and it shows per-question errors).

_RENDERED_LIMIT = 1024  # renderings kept per process; then the cache starts again
_QUESTIONS_MARK = "<!--modig:questions-->"
_CSRF_MARK = "modigcsrfmark"
_rendered: dict[tuple, str] = {}


def _render_once(request, template: str, context: dict, key: tuple) -> str:
    """The template's HTML for these inputs (`key` must name every input in `context` the
    template reads), rendered once, with this request's CSRF token filled in."""
    full_key = (template, get_language(), request.path, *key)
    html = _rendered.get(full_key)
    if html is None:
        html = render_to_string(f"surveys/respond/{template}",
                                {**context, "csrf_token": _CSRF_MARK}, request=request)
        if len(_rendered) >= _RENDERED_LIMIT:
            _rendered.clear()
        _rendered[full_key] = html
    if _CSRF_MARK in html:
        html = html.replace(_CSRF_MARK, masked_token(request))
    return html


def _fill_in(html: str, mark: str, content: str, template: str) -> str:
    """A page rendered once with `mark` where the person's own part goes, with it put in."""
    before, found, after = html.partition(mark)
    if not found:
        raise RuntimeError(f"{template} must show the marked part ({mark})")
    return before + content + after


@dataclass
class _FormShell:
    """What page.html reads from the form, with one stand-in question for all of them."""

    is_background: bool
    is_follow_up: bool
    errors: tuple = ()

    @property
    def questions(self):
        return [_QuestionShell()]


class _QuestionShell:
    html = mark_safe(_QUESTIONS_MARK)  # a fixed marker, no user input


def _page_from_shell(request, round_, structure, page, form) -> HttpResponse:
    if form.errors:
        return _render(request, "page.html", {
            "round": round_, "structure": structure, "page": page, "form": form,
        }, status=400)
    html = _render_once(request, "page.html", {
        "round": round_, "structure": structure, "page": page,
        "form": _FormShell(form.is_background, form.is_follow_up),
    }, (round_.pk, round_.name, structure.page_count, page.number, page.title, page.sends,
        form.is_background, form.is_follow_up))
    questions = "\n  ".join(str(question.html) for question in form.questions)
    return HttpResponse(_fill_in(html, _QUESTIONS_MARK, questions, "page.html"))


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_page(request, number: int):
    """One page of questions. Each page's form posts its answers forward, to the page the
    person goes to ("Next" to the next page, "Previous" to the one before, through the
    button's formaction), with a hidden field naming the page they belong to. The answers are
    saved, then that page is answered in the same request: one request per page instead of a
    POST and a redirected GET. The address bar shows the page on the screen, a reload sends
    the same answers again (the save is idempotent) and shows the same page.

    A form without the hidden field (a page loaded before forward posting) posts to its own
    page and is answered with a redirect, as before."""
    visit, invitation = _invitation_or_none(request)
    if invitation is None:
        return forget_visit(redirect("surveys:respond-entry"))
    status = answering.invitation_status(invitation)
    if status == Status.SUBMITTED:
        return redirect("surveys:respond-profile")
    if status != Status.OPEN:
        return redirect("surveys:respond-start")
    response, started = _response_for(invitation, visit)
    structure = answering.round_structure(invitation.round)
    page = structure.page(number)
    if page is None:
        raise Http404
    if request.method == "POST":
        source = _posted_page(request, structure)
        if source is None:
            reply = _save_and_redirect(request, invitation, response, structure, page, visit)
        else:
            then_read = page.item_ids if page.kind == PageKind.AREA else None
            reply = _save_posted(request, invitation, response, structure, source,
                                 go_to=number, then_read=then_read)
            reply = reply or _show_page(request, invitation, response, structure, page)
    else:
        reply = _show_page(request, invitation, response, structure, page)
    return write_visit(reply, visit) if started else reply


def _save_and_redirect(request, invitation, response, structure, page, visit) -> HttpResponse:
    """A form posted to its own page, with the button's action: save, then Post/Redirect/Get."""
    action = request.POST.get("action", "submit" if page.kind == PageKind.REVIEW else "next")
    go_to = {"previous": max(1, page.number - 1), "later": page.number}.get(
        action, page.number + 1)
    if page.kind == PageKind.REVIEW and action == "submit":
        answering.submit_response(invitation, response)
        visit.response_id = response.pk
        # The page below is reached only once the transaction has committed.
        return write_visit(redirect("surveys:respond-profile"), visit)
    problem = _save_posted(request, invitation, response, structure, page, go_to=go_to)
    if problem is not None:
        return problem
    if action == "later":
        return forget_visit(redirect("surveys:respond-saved"))
    return redirect("surveys:respond-page", number=go_to)


def _profile_page(request, response) -> HttpResponse:
    """The profile: the page around it rendered once per round, language and kind of round
    (as the question pages are), the person's own areas written in per request."""
    round_ = response.round
    structure = answering.questionnaire_structure(round_.questionnaire)
    profiles = answering.profile_for(response, structure)
    html = _render_once(request, "profile.html", {
        "round": round_, "can_reopen": round_.is_pseudonymous,
        "profile_areas": mark_safe(_PROFILE_MARK),  # a fixed marker, no user input
    }, (round_.pk, round_.is_pseudonymous))
    return HttpResponse(_fill_in(html, _PROFILE_MARK, _profile_areas_html(profiles),
                                 "profile.html"))


_PROFILE_MARK = "<!--modig:profile-->"


def _profile_areas_html(profiles) -> str:
    """The person's areas: the ones to learn most in first, then each area's words, bar and
    "don't know" count. Written here rather than in profile.html, for the reason the questions
    are (respond_forms.Question.html); every value is escaped."""
    parts = []
    lowest = [profile for profile in profiles if profile.is_lowest]
    if lowest:
        items = "".join(f"<li>{escape(profile.area.title)}</li>" for profile in lowest)
        heading = escape(gettext("Here you can learn the most"))  # xgettext skips f-strings
        parts.append(f'<div class="notice">\n  <h2>{heading}</h2>\n  <ul>{items}</ul>\n</div>\n')
    parts.append('<ul class="profile-list">\n')
    for profile in profiles:
        css = "profile-area is-lowest" if profile.is_lowest else "profile-area"
        bar = (f'<p class="profile-bar" aria-hidden="true"><span class="bar bar-{profile.step}">'
               "</span></p>" if profile.step else "")
        dont_know = ""
        if profile.dont_know:
            words = ngettext("You answered “don't know” to %(count)s question here.",
                             "You answered “don't know” to %(count)s questions here.",
                             profile.dont_know) % {"count": profile.dont_know}
            dont_know = f'<p class="help">{escape(words)}</p>'
        parts.append(f'  <li class="{css}">\n    <h2>{escape(profile.area.title)}</h2>\n'
                     f'    <p class="profile-words">{escape(profile.words)}</p>\n'
                     f"    {bar}{dont_know}\n  </li>\n")
    parts.append("</ul>")
    return "".join(parts)


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_profile(request):
    """The acknowledgement and the person's own profile (only this browser sees it).

    "Send my answers" posts here, from the last page of questions (with that page's answers)
    or from the last page: the response is submitted (once, however often the button is
    pressed or the page reloaded), and the profile is shown only after the submit has
    committed. From the last page of questions it is sent only when every question has an
    answer; otherwise the person gets the last page, which says how many are left."""
    visit, invitation = _invitation_or_none(request)
    response = None
    if (request.method == "POST" and invitation is not None
            and answering.invitation_status(invitation) == Status.OPEN):
        response, _started = _response_for(invitation, visit)
        visit.response_id = response.pk
        structure = answering.round_structure(invitation.round)
        posted = _posted_page(request, structure)
        if posted is not None and posted.kind != PageKind.REVIEW:
            problem = _save_posted(request, invitation, response, structure, posted,
                                   go_to=structure.page_count,
                                   then_read=structure.rating_item_ids)
            if problem is not None:
                return write_visit(problem, visit)
            if answering.unanswered_count(response, structure):
                return write_visit(
                    redirect("surveys:respond-page", number=structure.page_count), visit)
        if answering.submit_response(invitation, response):
            response.round = invitation.round
        else:  # sent meanwhile (a double tap on another connection): read it back
            response = None
            invitation = answering.load_invitation(invitation.pk)
    response = response or _own_submitted_response(invitation, visit)
    if response is None:
        if invitation is None:
            return forget_visit(redirect("surveys:respond-entry"))
        return redirect("surveys:respond-start")
    reply = _profile_page(request, response)
    return write_visit(reply, visit) if request.method == "POST" else reply


@respondent_page
@require_http_methods(["GET", "POST"])
def respond_saved(request):
    """Saved for later: how to go on, on this or another device. "Save and continue later"
    posts a page's answers here; they are saved and this browser forgets the survey."""
    if request.method == "POST":
        visit, invitation = _invitation_or_none(request)
        if invitation is None:
            return forget_visit(redirect("surveys:respond-entry"))
        if answering.invitation_status(invitation) != Status.OPEN:
            return redirect("surveys:respond-start")
        response, _started = _response_for(invitation, visit)
        structure = answering.round_structure(invitation.round)
        page = _posted_page(request, structure)
        if page is not None:
            problem = _save_posted(request, invitation, response, structure, page,
                                   go_to=page.number)
            if problem is not None:
                return problem
    return forget_visit(_render(request, "saved.html", {}))
