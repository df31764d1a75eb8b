"""Survey round pages: list, create/edit, detail with response rates, publish, close, letters,
reminders, and the public opt-out page.

Each view: scoped getter (surveys.round_access) → form → service (surveys.rounds,
messaging, letters) → response.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from modig.accounts.access import client_ip, is_programme_admin, log_access
from modig.accounts.models import AccessLogEntry
from modig.organisation.models import Programme
from modig.surveys import letters, response_rates, round_access, rounds, tasks, tokens
from modig.surveys.models import Invitation, Round
from modig.surveys.population import for_round
from modig.surveys.round_forms import LettersForm, RoundForm

OPT_OUT_SESSION_KEY = "modig_opt_out_invitation"


def _require_round_pages(user) -> None:
    if not round_access.can_use_rounds(user):
        raise PermissionDenied


def _programme_for(user) -> Programme:
    """The programme rounds are created in: the administrator's, or the only one there is."""
    from modig.accounts.access import current_assignments

    for assignment in current_assignments(user):
        if assignment.programme_id:
            return assignment.programme
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise Http404
    return programme


def _results_url(round_: Round) -> str | None:
    try:
        return reverse("surveys:round-results", kwargs={"pk": round_.pk})
    except NoReverseMatch:
        return None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# List, create, edit --------------------------------------------------------------------------

def round_list(request):
    _require_round_pages(request.user)
    visible = list(round_access.rounds_visible_to(request.user)
                   .select_related("questionnaire").order_by("-opens_on", "name"))
    rates = response_rates.by_round(visible)
    rows = [{"round": r, "status": rounds.status(r), "rate": rates.get(r.pk)} for r in visible]
    return render(request, "surveys/rounds/round_list.html", {
        "rows": rows, "can_manage": round_access.can_manage_rounds(request.user)})


def _round_form_page(request, *, round_: Round | None):
    programme = round_.programme if round_ else _programme_for(request.user)
    form = RoundForm(request.POST or None, programme=programme, instance=round_)
    population_size = None
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        if "count" in request.POST:
            population_size = rounds.population_of(data, programme).count()
        else:
            try:
                if round_ is None:
                    round_ = rounds.create_round(programme, data, user=request.user)
                    messages.success(request, _("The round is saved as a draft. Check it and "
                                                "publish it when it is ready."))
                else:
                    round_ = rounds.update_round(round_, data)
                    messages.success(request, _("The changes are saved."))
                return redirect("surveys:round-detail", pk=round_.pk)
            except ValidationError as error:
                _add_errors(form, error)
    elif round_ is not None and request.method == "GET":
        population_size = for_round(round_).count()
    return render(request, "surveys/rounds/round_form.html", {
        "form": form, "round": round_, "population_size": population_size,
        "published": round_ is not None and round_.published_at is not None,
    })


@require_http_methods(["GET", "POST"])
def round_create(request):
    _require_round_pages(request.user)
    if not round_access.can_manage_rounds(request.user):
        raise PermissionDenied
    return _round_form_page(request, round_=None)


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    round_ = round_access.round_for_user(request.user, pk, manage=True)
    if round_.closed_at is not None:
        messages.error(request, _("The round is closed and can no longer be changed."))
        return redirect("surveys:round-detail", pk=round_.pk)
    return _round_form_page(request, round_=round_)


# Detail, publish, close ----------------------------------------------------------------------

def _rates_for(user, round_: Round) -> dict:
    """The response rates this user may see (counts and rates only, small units hidden)."""
    rates = response_rates.for_round(round_)  # one query and one suppression for the page
    hidden = _("Hidden units together")
    if is_programme_admin(user):
        return {
            "programme": rates.total(),
            "municipalities": rates.by_municipality(),
            "units": rates.by_unit(hidden_label=hidden),
        }
    municipalities = round_access.municipalities_for_rounds(user)
    units = list(round_access.units_for_rounds(user))
    return {
        "programme": rates.total(),
        "municipalities": rates.by_municipality(municipalities),
        "scope": rates.scope({unit.pk for unit in units}),
        "units": rates.by_unit(units, hidden_label=hidden),
    }


def round_detail(request, pk):
    round_ = round_access.round_for_user(request.user, pk)
    status = rounds.status(round_)
    invited = round_.invitations.count() if round_.published_at else None
    population_size = for_round(round_).count()
    remind_in = [m for m in round_access.municipalities_for_rounds(request.user)
                 .filter(pk__in=round_.invitations.values("municipality_id"))]
    return render(request, "surveys/rounds/round_detail.html", {
        "round": round_, "status": status, "invited": invited,
        "population_size": population_size,
        "rates": _rates_for(request.user, round_) if round_.published_at else None,
        "can_manage": round_access.can_manage_rounds(request.user),
        "remind_in": remind_in if status == "open" else [],
        "results_url": _results_url(round_) if round_.published_at else None,
        "population": {
            "municipalities": round_.municipalities.all(),
            "units": round_.units.select_related("municipality"),
            "target_groups": round_.target_groups.all(),
            "occupations": round_.occupations.all(),
        },
        "waiting": round_.invitations.filter(sent_at__isnull=True).exclude(
            channel=Invitation.Channel.LETTER).count() if round_.published_at else 0,
    })


@require_POST
def round_publish(request, pk):
    round_ = round_access.round_for_user(request.user, pk, manage=True)
    try:
        rounds.publish_round(round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The round is published. Invitations are being made and "
                                    "sent now; e-mail and text messages go out on the first "
                                    "day of the round."))
    return redirect("surveys:round-detail", pk=round_.pk)


@require_POST
def round_close(request, pk):
    round_ = round_access.round_for_user(request.user, pk, manage=True)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the round should close now."))
        return redirect("surveys:round-detail", pk=round_.pk)
    try:
        rounds.close_round(round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The round is closed. Nobody can answer any more, and no "
                                    "more reminders are sent."))
    return redirect("surveys:round-detail", pk=round_.pk)


@require_POST
def round_remind(request, pk):
    """Send reminders now in one municipality (coordinator) or everywhere (programme office)."""
    round_ = round_access.round_for_user(request.user, pk)
    if not round_.is_open:
        messages.error(request, _("The round is not open, so no reminders can be sent."))
        return redirect("surveys:round-detail", pk=round_.pk)
    code = request.POST.get("municipality", "")
    municipality = round_access.municipalities_for_rounds(request.user).filter(
        code=code).first()
    if municipality is None:
        if not round_access.municipalities_for_rounds(request.user).exists():
            raise PermissionDenied
        messages.error(request, _("Choose a municipality."))
        return redirect("surveys:round-detail", pk=round_.pk)
    from modig.surveys.messaging import reminders_possible_now

    count = reminders_possible_now(round_, [municipality.pk]).count()
    if count:
        tasks.remind_now.enqueue(round_.pk, [municipality.pk])
        messages.success(request, _("Reminders are being sent to %(n)s people in "
                                    "%(municipality)s who have not answered.")
                         % {"n": count, "municipality": municipality.name})
    else:
        messages.info(request, _("Nobody in %(municipality)s can get a reminder now: everyone "
                                 "has answered, said no, got a message in the last day, got "
                                 "three reminders already, or is reached by letter.")
                      % {"municipality": municipality.name})
    return redirect("surveys:round-detail", pk=round_.pk)


# Letters -------------------------------------------------------------------------------------

def round_letters(request, pk):
    """Per unit (and municipality): how many letters are waiting, with a download each."""
    round_ = round_access.round_for_user(request.user, pk)
    if round_.published_at is None:
        raise Http404
    units = round_access.units_for_rounds(request.user)
    not_answered = Q(submitted_at__isnull=True, opted_out_at__isnull=True)
    rows = (round_.invitations.filter(unit__in=units)
            .values("unit_id", "unit__name", "unit__municipality__name")
            .annotate(letters=Count("pk", filter=not_answered
                                    & Q(channel=Invitation.Channel.LETTER)),
                      waiting=Count("pk", filter=not_answered))
            .order_by("unit__municipality__name", "unit__name"))
    municipalities = (round_access.municipalities_for_rounds(request.user)
                      .filter(pk__in=round_.invitations.values("municipality_id")))
    return render(request, "surveys/rounds/round_letters.html", {
        "round": round_, "rows": rows, "municipalities": municipalities,
        "form": LettersForm(),
    })


@never_cache
def round_letters_pdf(request, pk):
    """One PDF with a page per person, for a unit (?enhet=) or a municipality (?kommun=)."""
    round_ = round_access.round_for_user(request.user, pk)
    if round_.published_at is None:
        raise Http404
    invitations = round_.invitations.all()
    if request.GET.get("enhet"):
        try:
            unit = round_access.unit_for_letters(request.user, int(request.GET["enhet"]))
        except ValueError:
            raise Http404 from None
        scope = Q(unit__path__startswith=unit.path)
        label, file_part = unit.name, f"enhet-{unit.pk}"
    elif request.GET.get("kommun"):
        municipality = round_access.municipalities_for_rounds(request.user).filter(
            code=request.GET["kommun"]).first()
        if municipality is None:
            raise Http404
        scope = Q(municipality=municipality)
        label, file_part = municipality.name, f"kommun-{municipality.code}"
    else:
        messages.error(request, _("Choose a unit or a municipality to print letters for."))
        return redirect("surveys:round-letters", pk=round_.pk)
    everyone = LettersForm(request.GET).is_valid() and request.GET.get("everyone") == "on"
    to_print = letters.letters_to_print(round_, invitations.filter(scope), everyone=everyone)
    if to_print.count() > letters.MAX_PAGES:
        messages.error(request, _("That is more than %(n)s letters, too many for one file. "
                                  "Print them unit by unit.") % {"n": letters.MAX_PAGES})
        return redirect("surveys:round-letters", pk=round_.pk)
    chosen = list(to_print)
    if not chosen:
        messages.info(request, _("There are no letters to print for %(place)s: everyone "
                                 "has answered or is reached by e-mail or text message.")
                      % {"place": label})
        return redirect("surveys:round-letters", pk=round_.pk)
    pdf = letters.letters_pdf(chosen)
    letters.record_printed(chosen)
    log_access(request, AccessLogEntry.Action.EXPORT,
               detail=f"survey letters: round {round_.pk}, {label}, {len(chosen)} pages")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brev-{round_.pk}-{file_part}.pdf"'
    return response


# Opt-out (public) ----------------------------------------------------------------------------

def _redact_path(request) -> None:
    """Keep the token out of anything that logs this request later."""
    safe = reverse("surveys:opt-out")
    request.path = request.path_info = safe
    for key in ("PATH_INFO", "RAW_URI", "REQUEST_URI"):
        if key in request.META:
            request.META[key] = safe


@login_not_required
@never_cache
@require_http_methods(["GET"])
def opt_out_link(request, token):
    """The link in a message: remember which invitation, then show the page without the
    token in the address (so it does not stay in the browser history or any log)."""
    from modig.surveys import answering

    _redact_path(request)
    ip_address = client_ip(request)
    if answering.is_throttled(ip_address):
        answering.log_refused_attempt(ip_address)
        return render(request, "surveys/rounds/opt_out.html", {"state": "throttled"},
                      status=429)
    invitation = Invitation.objects.filter(token_digest=tokens.digest(token[:100])).first()
    if invitation is None:
        answering.record_failed_attempt(ip_address, what="link")
        return render(request, "surveys/rounds/opt_out.html", {"state": "unknown"}, status=404)
    request.session[OPT_OUT_SESSION_KEY] = invitation.pk
    return redirect("surveys:opt-out")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request):
    """Confirm "no more reminders"; it can be undone by answering anyway."""
    invitation_id = request.session.get(OPT_OUT_SESSION_KEY)
    invitation = (Invitation.objects.select_related("round").filter(pk=invitation_id).first()
                  if invitation_id else None)
    if invitation is None:
        return render(request, "surveys/rounds/opt_out.html", {"state": "unknown"}, status=404)
    if invitation.submitted_at is not None:
        state = "answered"
    elif invitation.opted_out_at is not None:
        state = "done"
    elif request.method == "POST":
        Invitation.objects.filter(pk=invitation.pk, opted_out_at__isnull=True).update(
            opted_out_at=timezone.now())
        state = "done"
    else:
        state = "ask"
    return render(request, "surveys/rounds/opt_out.html", {
        "state": state, "round": invitation.round,
        "open": invitation.round.is_open,
    })
