"""When two person records are merged, their survey invitations and responses follow.

One person answers a round once: where both records were invited to the same round, the
invitation that got furthest (submitted, then started, then the older one) is kept and the
other is removed with its unfinished response. Pseudonymous responses are re-keyed to the kept
person's pseudonym so baseline and follow-up still pair.
"""

from django.db.models import Q

from modig.surveys.models import Invitation, Response


def _progress(invitation: Invitation) -> tuple:
    response = Response.objects.filter(invitation=invitation).first()
    submitted = invitation.submitted_at is not None or bool(response and response.is_submitted)
    return (submitted, response is not None, -invitation.pk)


def move_survey_records(sender, *, keep, duplicate, **kwargs) -> None:
    for theirs in Invitation.objects.filter(person=duplicate).select_related("round"):
        ours = Invitation.objects.filter(person=keep, round=theirs.round).first()
        if ours is None:
            theirs.person = keep
            theirs.save(update_fields=["person"])
            continue
        loser = min(ours, theirs, key=_progress)
        winner = theirs if loser is ours else ours
        Response.objects.filter(invitation=loser, submitted_at__isnull=True).delete()
        loser.delete()
        if winner is theirs:
            theirs.person = keep
            theirs.save(update_fields=["person"])
    # Pseudonymous responses carry the pseudonym; a round keeps at most one per person.
    for response in Response.objects.filter(respondent_key=duplicate.pseudonym):
        clash = Response.objects.filter(
            ~Q(pk=response.pk), round_id=response.round_id, respondent_key=keep.pseudonym
        ).first()
        if clash is not None:
            later = max(clash, response, key=lambda r: (r.submitted_at is not None, r.pk))
            earlier = clash if later is response else response
            if earlier.submitted_at is None:
                earlier.delete()
            else:
                earlier.respondent_key = None  # counted in totals, no longer paired
                earlier.save(update_fields=["respondent_key"])
            if later is clash:
                continue
        response.respondent_key = keep.pseudonym
        response.save(update_fields=["respondent_key"])
