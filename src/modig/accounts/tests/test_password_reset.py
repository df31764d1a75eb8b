import re

from django.core import mail
from django.urls import reverse

from modig.accounts.models import User


def test_password_reset_by_email_sets_a_new_password(client, staff_member):
    response = client.post(reverse("accounts:password-reset"), {"email": "anna@ale.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Modig: välj ett nytt lösenord"
    link = re.search(r"https?://[^/]+(/konto/aterstall/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "ett-helt-nytt-lösenord-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=staff_member.pk).check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "ingen@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
