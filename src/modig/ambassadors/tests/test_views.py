import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment
from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.ambassadors.tests.factories import make_ambassador
from modig.organisation.tests.factories import make_unit

LOG = reverse("ambassadors:coaching-log")


@pytest.fixture
def ella(region):
    return make_ambassador(region)


def _post(region, **changes):
    data = {"idempotency_key": str(uuid.uuid4()), "date": "2026-03-02",
            "unit": region.vikadamm.pk, "format": "small_group", "topic_text": "Teams",
            "participants": [region.anna.pk, region.bertil.pk], "counted_participants": "",
            "minutes": "15", "minutes_other": "", "note": "Bra frågor"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_has_a_key_today_and_the_only_unit_chosen(region, ella, login):
    page = login(ella[0]).get(LOG)
    assert page.status_code == 200
    form = page.context["form"]
    assert isinstance(form.initial["idempotency_key"], uuid.UUID)
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["unit"] == region.vikadamm.pk
    html = page.content.decode()
    assert 'name="idempotency_key"' in html and "Anna Andersson" in html
    assert "Cecilia" not in html  # not on Vikadamm's roster
    assert 'src="/static/ambassadors/coaching.js"' in html and "<script>" not in html


def test_an_entry_is_saved_and_a_resend_shows_the_saved_one(region, ella, login):
    client = login(ella[0])
    data = _post(region)
    first = client.post(LOG, data)
    activity = CoachingActivity.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("ambassadors:activity-detail", args=[activity.pk])
    assert activity.minutes == 15 and activity.appointment == ella[1]
    assert set(activity.participants.values_list("person_id", flat=True)) == {
        region.anna.pk, region.bertil.pk}
    second = client.post(LOG, data, follow=True)
    assert CoachingActivity.objects.count() == 1
    assert "Det här var redan sparat" in second.content.decode()
    assert second.context["activity"] == activity


def test_the_typed_minutes_win_over_the_quick_choice(region, ella, login):
    login(ella[0]).post(LOG, _post(region, minutes="15", minutes_other="25"))
    assert CoachingActivity.objects.get().minutes == 25


@pytest.mark.parametrize(("changes", "text"), [
    ({"unit": "solgarden"}, "Du är inte ombud för den enheten"),
    ({"participants": "cecilia"}, "Cecilia Carlsson arbetar inte på Vikadamm boende"),
    ({"minutes": None, "minutes_other": "-10"}, "Skriv mellan 1 och 480 minuter"),
    ({"minutes": None, "minutes_other": "481"}, "Skriv mellan 1 och 480 minuter"),
    ({"minutes": None, "minutes_other": ""}, "Välj hur många minuter"),
    ({"date": "tomorrow"}, "Datumet kan inte vara i framtiden"),
    ({"counted_participants": "-2", "participants": []}, "kan inte vara negativt"),
])
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(region, ella, login, changes,
                                                              text):
    values = {}
    for name, value in changes.items():
        if value == "solgarden":
            value = region.solgarden.pk
        elif value == "cecilia":
            value = [region.cecilia.pk]
        elif value == "tomorrow":
            value = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        values[name] = value
    page = login(ella[0]).post(LOG, _post(region, **values))
    assert page.status_code == 400
    assert text in page.content.decode()
    assert not CoachingActivity.objects.exists() and not CoachingParticipant.objects.exists()


def test_a_refused_entry_keeps_its_key_and_what_was_typed(region, ella, login):
    data = _post(region, minutes=None, minutes_other="900")
    page = login(ella[0]).post(LOG, data)
    html = page.content.decode()
    assert data["idempotency_key"] in html and 'value="Bra frågor"' not in html
    assert "Bra frågor" in html and f'value="{region.anna.pk}" checked' in html


def test_the_offline_queue_gets_json_and_a_resend_is_one_entry(region, ella, login):
    client = login(ella[0])
    data = _post(region)
    first = client.post(LOG, data, headers={"X-Modig-Queue": "1"})
    again = client.post(LOG, data, headers={"X-Modig-Queue": "1"})
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["url"] == again.json()["url"]
    assert CoachingActivity.objects.count() == 1


def test_only_ambassadors_log_coaching(region, login, staff_member):
    assert login(staff_member).post(LOG, _post(region)).status_code == 403
    assert not CoachingActivity.objects.exists()


def test_an_entry_is_visible_to_its_ambassador_and_coordinator_only(
        region, ella, login, coordinator, tjorn_coordinator, client):
    login(ella[0]).post(LOG, _post(region))
    url = reverse("ambassadors:activity-detail", args=[CoachingActivity.objects.get().pk])
    assert client.get(url).status_code == 200
    assert login(coordinator).get(url).status_code == 200
    assert login(tjorn_coordinator).get(url).status_code == 404


def test_home_page_lists_units_to_coach_and_recent_coaching(region, ella, login):
    client = login(ella[0])
    page = client.get(reverse("ambassadors:home")).content.decode()
    assert "Vikadamm boende: ingen handledning inskriven än." in page
    client.post(LOG, _post(region, date=timezone.localdate().isoformat()))
    page = client.get(reverse("ambassadors:home")).content.decode()
    assert "ingen handledning inskriven" not in page and "Teams" in page
    assert "Alla dina enheter har fått handledning" in page


def test_the_site_home_page_links_ambassadors_to_their_page(region, ella, login):
    page = login(ella[0]).get(reverse("home")).content.decode()
    assert reverse("ambassadors:coaching-log") in page and reverse("ambassadors:home") in page


def test_a_coordinator_appoints_edits_and_ends(region, login, coordinator):
    client = login(coordinator)
    user_person = region.anna
    from conftest import make_user

    anna_user = make_user("anna.user@ale.example")
    anna_user.person = user_person
    anna_user.save(update_fields=["person"])
    create = reverse("ambassadors:appointment-create", args=[region.ale.code])
    assert client.get(create).status_code == 200
    response = client.post(create, {"person": region.anna.pk, "units": [region.vikadamm.pk],
                                    "time_percent": "20", "starts_on": "2026-01-01",
                                    "ends_on": ""})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=anna_user, role=Role.AMBASSADOR).units.get() == (
        region.vikadamm)
    backa = make_unit(region.ale, "Backa hemtjänst", parent=region.nodinge)
    edit = reverse("ambassadors:appointment-edit", args=[appointment.pk])
    client.post(edit, {"units": [region.vikadamm.pk, backa.pk], "time_percent": "40",
                       "starts_on": "2026-01-01", "ends_on": ""})
    appointment.refresh_from_db()
    assert appointment.time_percent == 40 and appointment.units.count() == 2
    client.post(reverse("ambassadors:appointment-end", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.ends_on == timezone.localdate()


def test_an_appointment_with_bad_input_is_not_saved(region, login, coordinator):
    create = reverse("ambassadors:appointment-create", args=[region.ale.code])
    page = login(coordinator).post(create, {"person": region.anna.pk, "units": [],
                                            "time_percent": "0", "starts_on": "2026-01-01"})
    html = page.content.decode()
    assert "Välj minst en enhet" in html
    assert not Appointment.objects.exists()


def test_coverage_flags_leaf_units_without_an_active_ambassador(region, login, coordinator):
    make_unit(region.ale, "Backa hemtjänst", parent=region.nodinge)
    make_ambassador(region)
    page = login(coordinator).get(reverse("ambassadors:appointment-list")).content.decode()
    assert "Inget ombud:</strong> Backa hemtjänst" in page
    assert "Inget ombud:</strong> Vikadamm" not in page
    assert "Solgården" not in page  # Tjörn is not the Ale coordinator's


def test_train_the_trainer_status_comes_from_training_records(region, login, coordinator):
    from modig.organisation.models import TargetGroup
    from modig.training import services as training_services
    from modig.training.tests.factories import make_course

    ambassador_group = TargetGroup.objects.get(code=TargetGroup.Code.AMBASSADOR)
    done = make_course(region.programme, title="Ombud del 1", format="self_paced",
                       target_groups=[ambassador_group])
    make_course(region.programme, title="Ombud del 2", target_groups=[ambassador_group])
    _, appointment = make_ambassador(region)
    training_services.complete_distance_course(done, appointment.person,
                                               completed_on=datetime.date(2026, 2, 1), by=None,
                                               confirmed_as="self")
    page = login(coordinator).get(reverse("ambassadors:appointment-detail",
                                          args=[appointment.pk])).content.decode()
    assert "1 av 2 ombudskurser klara" in page


def test_the_home_page_lists_the_learning_tasks_of_my_units_and_no_others(region, ella, login):
    from modig.learning.tests.helpers import introduce

    user, _ = ella
    mine = introduce(region, unit=region.vikadamm)
    introduce(region, unit=region.solgarden)  # Tjörn: not a unit Ella covers
    page = login(user).get(reverse("ambassadors:home")).content.decode()
    tasks = page.split("<h2>")[2]  # the section after "What to do next"
    assert reverse("learning:introduction-detail", args=[mine.pk]) in tasks
    assert "Solgården" not in tasks
    assert "Vikadamm boende" in tasks
