from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD


def test_pages_need_a_log_in(client, region):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_member_logs_in_with_email_in_any_case(client, staff_member):
    response = client.post(
        reverse("accounts:login"), {"username": "ANNA@ale.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gives_a_swedish_message(client, staff_member):
    response = client.post(
        reverse("accounts:login"), {"username": "anna@ale.example", "password": "fel"}
    )
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()


def test_coordinator_must_set_up_two_factor_before_using_modig(client, coordinator):
    client.post(reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    setup = client.get(reverse("accounts:two-factor"))
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:two-factor"), {"token": code, "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_wrong_two_factor_code_is_refused(client, coordinator):
    client.post(reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD})
    client.get(reverse("accounts:two-factor"))
    response = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account(client, staff_member):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "anna@ale.example", "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": "anna@ale.example", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_a_coordinator_without_two_factor_can_still_open_their_own_survey_link(
        client, coordinator, region):
    """The survey token must not be copied into the two-factor page's ?next= address."""
    from modig.surveys.tests.factories import make_invitation, make_round

    client.post(reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD})
    _invitation, token, _code = make_invitation(make_round(region.programme), region.anna)
    response = client.get(f"/s/{token}/")
    assert response.status_code == 302
    assert token not in response["Location"]
    assert not response["Location"].startswith(reverse("accounts:two-factor"))
    assert client.get("/svara/").status_code == 200
