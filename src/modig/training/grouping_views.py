"""Group formation pages: propose groups, adjust them, confirm (training/grouping.py).

Each view: scoped getter (grouping.proposal_for_user: 403 for other roles, 404 outside one's
municipality) → form → service → redirect (Post/Redirect/Get). Which band a person is in is
personal data drawn from the self-assessment, so creating and opening a proposal is logged
like the lowest-scores list; no page shows a score.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from modig.accounts import access as account_access
from modig.accounts.models import AccessLogEntry
from modig.training import grouping
from modig.training.grouping_forms import MoveForm, ProposalForm, SessionChoiceForm


def _require(user) -> None:
    if not grouping.can_form_groups(user):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields (or on the form when no field matches)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _detail(proposal, group=None):
    url = reverse("training:grouping-detail", args=[proposal.pk])
    return redirect(f"{url}#grupp-{group.number}" if group is not None else url)


def grouping_list(request):
    """The proposals of the user's municipalities, newest first."""
    _require(request.user)
    proposals = (grouping.proposals_visible_to(request.user)
                 .select_related("course", "municipality", "created_by")
                 .annotate(people=Count("members", filter=Q(members__group__isnull=False)))
                 .order_by("-created_at", "-pk"))
    page = Paginator(proposals, 25).get_page(request.GET.get("sida"))
    return render(request, "training/grouping/proposal_list.html", {
        "page": page, "proposals": page.object_list})


def _chosen_municipality(request, municipalities):
    """The municipality the form is for: posted, asked for (?kommun=pk) or the only one."""
    value = request.POST.get("municipality") or request.GET.get("kommun")
    if value and value.isdigit():
        return municipalities.filter(pk=int(value)).first()
    if len(municipalities) == 1:
        return municipalities[0]
    return None


def grouping_create(request):
    """Choose course, baseline round, population and rules; the proposal is then stored."""
    user = request.user
    _require(user)
    municipalities = grouping.municipalities_for(user)
    municipality = _chosen_municipality(request, municipalities)
    initial = {"municipality": municipality}
    if request.GET.get("kurs"):
        initial["course"] = request.GET["kurs"]
    form = ProposalForm(request.POST or None, user=user, municipality=municipality,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not grouping.may_use_round(user, data["survey_round"], data["municipality"]):
            form.add_error("survey_round", _("You cannot use this round's results for this "
                                             "municipality. Choose another round."))
        else:
            try:
                proposal = grouping.propose_groups(
                    data["course"], survey_round=data["survey_round"],
                    municipality=data["municipality"], by=user, units=data["units"],
                    occupations=data["occupations"], target_groups=data["target_groups"],
                    support_rule=data["support_rule"], support_share=data["support_share"],
                    support_threshold=data["support_threshold"],
                    small_group_size=data["small_group_size"],
                    regular_group_size=data["regular_group_size"],
                    no_baseline_in_small_groups=data["no_baseline_in_small_groups"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                account_access.log_access(
                    request, AccessLogEntry.Action.VIEW_PERSON,
                    detail=f"group formation: proposal {proposal.pk} for course "
                           f"{proposal.course.code} from round {proposal.survey_round_id}")
                messages.success(request, _("The groups are proposed. Check them, change what "
                                            "you need, then confirm."))
                return _detail(proposal)
    return render(request, "training/grouping/proposal_form.html", {
        "form": form, "municipality": municipality, "municipalities": municipalities,
        "choose_municipality": municipality is None and request.method == "GET",
    })


def grouping_detail(request, pk):
    """The proposal: groups, members with unit and band, sessions and what to look at."""
    proposal = grouping.proposal_for_user(request.user, pk)
    view = grouping.proposal_view(proposal)
    account_access.log_access(request, AccessLogEntry.Action.VIEW_PERSON,
                              detail=f"group formation: opened proposal {proposal.pk}")
    return render(request, "training/grouping/proposal_detail.html", {
        "proposal": proposal, "view": view,
        "confirmable": sum(g.size for g in view.groups if g.group.session_id),
    })


def grouping_member(request, pk, member_pk):
    """Move one person to another group, or take them out of the proposal."""
    proposal = grouping.proposal_for_user(request.user, pk)
    member = get_object_or_404(proposal.members.select_related("person", "unit", "group"),
                               pk=member_pk)
    groups = list(proposal.groups.order_by("number"))
    form = MoveForm(request.POST or None, groups=groups, current=member.group_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove" or form.is_valid():
            to = None if action == "remove" else form.target()
            try:
                member = grouping.move_member(member, to=to, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return _detail(proposal)
            if member.group is None:
                messages.success(request, _("%(name)s is taken out of the proposal.")
                                 % {"name": member.person.full_name})
                return _detail(proposal)
            messages.success(request, _("%(name)s is moved to group %(number)s.")
                             % {"name": member.person.full_name,
                                "number": member.group.number})
            return _detail(proposal, member.group)
    return render(request, "training/grouping/member_form.html", {
        "proposal": proposal, "member": member, "form": form})


def grouping_group(request, pk, group_pk):
    """Choose the session a group goes to."""
    proposal = grouping.proposal_for_user(request.user, pk)
    group = get_object_or_404(proposal.groups.select_related("session"), pk=group_pk)
    sessions = list(grouping.sessions_for(proposal, level=group.level)
                    .select_related("municipality").prefetch_related("meetings"))
    for session in sessions:
        session.free_places = max(session.capacity - session.enrolled_count, 0)
    form = SessionChoiceForm(request.POST or None, sessions=sessions,
                             initial={"session": str(group.session_id or "")})
    if request.method == "POST" and form.is_valid():
        try:
            grouping.choose_session(group, session=form.chosen(), by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return _detail(proposal, group)
        messages.success(request, _("Group %(number)s is changed.") % {"number": group.number})
        return _detail(proposal, group)
    return render(request, "training/grouping/group_form.html", {
        "proposal": proposal, "group": group, "sessions": sessions, "form": form,
        "size": group.members.count()})


@require_POST
def grouping_place(request, pk):
    """Look again for sessions for the groups that have none (after new sessions are added)."""
    proposal = grouping.proposal_for_user(request.user, pk)
    try:
        placed = grouping.place_groups(proposal)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _detail(proposal)
    if placed:
        messages.success(request, ngettext("%(n)s group got a session.",
                                           "%(n)s groups got a session.", placed) % {"n": placed})
    else:
        messages.warning(request, _("No group found a session. Add sessions to the course, or "
                                    "choose a session for a group yourself."))
    return _detail(proposal)


@require_POST
def grouping_confirm(request, pk):
    """Enrol everyone in their group's session. Confirming again changes nothing."""
    proposal = grouping.proposal_for_user(request.user, pk)
    if grouping.confirm_proposal(proposal, by=request.user):
        messages.success(request, _("The groups are confirmed. See below who was enrolled and "
                                    "who was not."))
    else:
        messages.info(request, _("These groups were already confirmed. No one was enrolled "
                                 "again."))
    return _detail(proposal)


@require_POST
def grouping_delete(request, pk):
    """Throw away a proposal that is not confirmed."""
    proposal = grouping.proposal_for_user(request.user, pk)
    try:
        grouping.discard_proposal(proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _detail(proposal)
    messages.success(request, _("The proposal is deleted. No one was enrolled."))
    return redirect("training:grouping-list")
