"""The ambassadors' network pages: the list, scheduling, one meeting, inviting again and the
roll call (a phone page without JavaScript, like the training roll call)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from modig.accounts.access import is_programme_admin
from modig.ambassadors import network
from modig.ambassadors.forms import NetworkMeetingForm, NetworkRollCallForm
from modig.organisation.models import Municipality
from modig.training import services as training


def _data(request):
    return request.POST if request.method == "POST" else None


def _meeting_for(user, pk: int, *, manage: bool = False):
    meeting = network.visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if manage and not network.can_manage(user, meeting):
        raise PermissionDenied
    return meeting


def meeting_list(request):
    user = request.user
    meetings = list(network.visible_to(user).prefetch_related("session__meetings", "invited"))
    for meeting in meetings:
        meeting.first = min(meeting.session.meetings.all(), key=lambda m: (m.date, m.starts_at),
                            default=None)
    today = timezone.localdate()
    dated = [m for m in meetings if m.first]
    return render(request, "ambassadors/network_list.html", {
        "upcoming": sorted((m for m in dated if m.first.date >= today),
                           key=lambda m: m.first.date),
        "past": sorted((m for m in dated if m.first.date < today), key=lambda m: m.first.date,
                       reverse=True),
        "can_schedule": network.can_schedule(user),
    })


def meeting_create(request):
    user = request.user
    if not network.can_schedule(user):
        raise PermissionDenied
    admin = is_programme_admin(user)
    hosts = list(network.host_choices(user).order_by("name"))
    form = NetworkMeetingForm(_data(request), municipalities=Municipality.objects.filter(
        programmes__isnull=False).distinct().order_by("name"),
        hosts=Municipality.objects.filter(pk__in=[h.pk for h in hosts]).order_by("name"),
        host_required=not admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, created = network.schedule(network.MeetingData(
                topic=data["topic"], date=data["date"], starts_at=data["starts_at"],
                ends_at=data["ends_at"], place=data["place"], video_url=data["video_url"],
                municipalities=list(data["municipalities"]), host=data["host"],
                idempotency_key=data["idempotency_key"]), by=user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            if created:
                invited = meeting.session.enrolments.active().count()
                messages.success(request, ngettext(
                    "The network meeting is scheduled and %(count)s ambassador is invited.",
                    "The network meeting is scheduled and %(count)s ambassadors are invited.",
                    invited) % {"count": invited})
            else:
                messages.info(request, _("This network meeting was already saved. Here it is."))
            return redirect("ambassadors:network-detail", meeting.pk)
    return render(request, "ambassadors/network_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


def meeting_detail(request, pk: int):
    user = request.user
    meeting = _meeting_for(user, pk)
    occasion = network.the_meeting(meeting)
    can_manage = network.can_manage(user, meeting)
    context = {"meeting": meeting, "session": meeting.session, "occasion": occasion,
               "invited_municipalities": meeting.invited.order_by("name"),
               "can_manage": can_manage}
    if can_manage:
        recorded = {a.person_id: a for a in occasion.attendances.all()} if occasion else {}
        enrolments = (meeting.session.enrolments.active().select_related("person")
                      .order_by("person__last_name", "person__first_name"))
        context["people"] = [(e.person, recorded.get(e.person_id)) for e in enrolments]
        context["new_invitees"] = network.invitees(meeting).exclude(
            pk__in=meeting.session.enrolments.active().values("person_id")).count()
    return render(request, "ambassadors/network_detail.html", context)


@require_POST
def meeting_invite(request, pk: int):
    meeting = _meeting_for(request.user, pk, manage=True)
    result = network.invite(meeting, by=request.user)
    messages.success(request, ngettext("%(count)s more ambassador is invited.",
                                       "%(count)s more ambassadors are invited.",
                                       len(result.enrolled)) % {"count": len(result.enrolled)})
    for person, reason in result.refused:
        messages.warning(request, f"{person.full_name}: {reason}")
    return redirect("ambassadors:network-detail", meeting.pk)


def meeting_roll_call(request, pk: int):
    meeting = _meeting_for(request.user, pk, manage=True)
    occasion = network.the_meeting(meeting)
    enrolments = list(meeting.session.enrolments.active().select_related("person")
                      .order_by("person__last_name", "person__first_name", "person__pk"))
    recorded = {a.person_id: a for a in occasion.attendances.all()}
    form = NetworkRollCallForm(_data(request), enrolments=enrolments, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            result = network.record_attendance(meeting, form.roll_call_rows(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _(
                "The roll call is saved: %(created)s new, %(updated)s changed, %(unchanged)s "
                "as before.") % {"created": result.created, "updated": result.updated,
                                 "unchanged": result.unchanged})
            return redirect("ambassadors:network-roll-call", meeting.pk)
    refusal = training.roll_call_refusal(meeting.session, occasion)
    return render(request, "ambassadors/network_roll_call.html", {
        "meeting": meeting, "occasion": occasion, "form": form,
        "refusal": refusal.messages[0] if refusal else "",
        "closes_on": training.roll_call_closes_on(occasion),
    }, status=400 if form.is_bound else 200)
