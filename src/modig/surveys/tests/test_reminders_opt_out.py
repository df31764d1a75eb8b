"""Opting out: the link in every message, a confirmation page, no more reminders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from modig.surveys.invitations import invite_population, letter_secrets
from modig.surveys.messaging import due_reminders, send_pending_invitations
from modig.surveys.models import Invitation
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(region):
    round_ = make_round(region.programme)
    invite_population(round_)
    send_pending_invitations()
    return Invitation.objects.get(round=round_, person=region.anna)


def test_opt_out_asks_first_then_stops_reminders(anna, client):
    token, _code = letter_secrets(anna)
    response = client.get(f"/enkat/avsta/{token}/")
    assert response.status_code == 302
    assert token not in response.url
    page = client.get(response.url)
    assert "Vill du slippa fler påminnelser?" in page.content.decode()
    anna.refresh_from_db()
    assert anna.opted_out_at is None  # opening the link alone changes nothing
    done = client.post(reverse("surveys:opt-out"))
    text = done.content.decode()
    assert "Du får inga fler påminnelser" in text
    assert "Du kan ändå svara" in text
    anna.refresh_from_db()
    assert anna.opted_out_at is not None
    later = timezone.now() + datetime.timedelta(days=30)
    assert not due_reminders(later).filter(pk=anna.pk).exists()


def test_unknown_link_gets_a_clear_message(anna, client):
    page = client.get("/enkat/avsta/fel-kod-som-inte-finns/")
    assert page.status_code == 404
    assert "Länken fungerar inte" in page.content.decode()
    page = client.get(reverse("surveys:opt-out"))
    assert page.status_code == 404


def test_someone_who_answered_is_told_so(anna, client):
    Invitation.objects.filter(pk=anna.pk).update(submitted_at=timezone.now())
    token, _code = letter_secrets(anna)
    page = client.get(f"/enkat/avsta/{token}/", follow=True)
    assert "Du har redan svarat" in page.content.decode()
