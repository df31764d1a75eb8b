"""Merging two records of one person carries their survey invitations and responses along."""

from django.utils import timezone

from modig.organisation.services import merge_people
from modig.surveys.models import Invitation, Response
from modig.surveys.tests.factories import make_invitation, make_questionnaire, make_round


def test_an_invitation_of_the_duplicate_moves_to_the_kept_person(region):
    round_ = make_round(region.programme)
    invitation, _token, _code = make_invitation(round_, region.bertil)
    Response.objects.create(round=round_, invitation=invitation,
                            respondent_key=region.bertil.pseudonym,
                            submitted_at=timezone.now())
    merge_people(region.anna, duplicate=region.bertil)
    invitation.refresh_from_db()
    assert invitation.person == region.anna
    assert Response.objects.get().respondent_key == region.anna.pseudonym


def test_when_both_were_invited_the_answered_invitation_is_kept(region):
    round_ = make_round(region.programme)
    kept_unanswered, _t, _c = make_invitation(round_, region.anna)
    Response.objects.create(round=round_, invitation=kept_unanswered,
                            respondent_key=region.anna.pseudonym)
    answered, _t, _c = make_invitation(round_, region.bertil)
    Invitation.objects.filter(pk=answered.pk).update(submitted_at=timezone.now())
    Response.objects.create(round=round_, invitation=answered,
                            respondent_key=region.bertil.pseudonym,
                            submitted_at=timezone.now())
    merge_people(region.anna, duplicate=region.bertil)
    assert list(Invitation.objects.values_list("pk", flat=True)) == [answered.pk]
    response = Response.objects.get()
    assert response.is_submitted and response.respondent_key == region.anna.pseudonym
    assert Invitation.objects.get().person == region.anna


def test_responses_in_other_rounds_keep_pairing_after_a_merge(region):
    baseline = make_round(region.programme, make_questionnaire(code="a"))
    follow_up = make_round(region.programme, make_questionnaire(code="b"), baseline=baseline)
    for round_, person in ((baseline, region.bertil), (follow_up, region.anna)):
        invitation, _t, _c = make_invitation(round_, person)
        Response.objects.create(round=round_, invitation=invitation,
                                respondent_key=person.pseudonym, submitted_at=timezone.now())
    merge_people(region.anna, duplicate=region.bertil)
    keys = set(Response.objects.values_list("respondent_key", flat=True))
    assert keys == {region.anna.pseudonym}
