"""The attendance import pages through HTTP: upload, review, save; refusals in Swedish."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from modig.training import services
from modig.training.models import Attendance, AttendanceImport
from modig.training.tests.factories import make_course, make_session, meeting

FIXTURES = Path(__file__).parent / "attendance_files"


def report(name: str = "teams-en-us-utf16le-crlf.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


@pytest.fixture
def the_meeting(region, trainer):
    course = make_course(region.programme, format="remote_live")
    session = make_session(course, municipality=region.ale, trainer=trainer,
                           meetings=[meeting("2025-03-04", "09:00", "11:00")])
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source="coordinator")
    return session.meetings.get()


def upload_url(the_meeting) -> str:
    return reverse("training:attendance-import-upload",
                   kwargs={"pk": the_meeting.session_id, "meeting_pk": the_meeting.pk})


def test_trainer_uploads_reviews_and_saves(login, trainer, the_meeting, region):
    client = login(trainer)

    response = client.post(upload_url(the_meeting), {"file": report()})
    attendance_import = AttendanceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:attendance-import-review",
                                           kwargs={"pk": attendance_import.pk})

    page = client.get(response["Location"])
    assert page.status_code == 200
    rows = {item["row"].participant.name: item["row"]
            for item in page.context["to_decide"] + page.context["matched"]}
    assert len(page.context["to_decide"]) == 2
    assert f'name="row-{rows["Cecilia Carlsson (Guest)"].index}"' in page.content.decode()

    saved = client.post(response["Location"], {
        f"row-{rows['Tina Tränare'].index}": "ignore",
        f"row-{rows['Cecilia Carlsson (Guest)'].index}": str(region.dual.pk),
    }, follow=True)

    assert saved.status_code == 200
    assert "Närvaron är sparad." in saved.content.decode()
    assert {(a.person_id, a.status, a.minutes) for a in Attendance.objects.all()} == {
        (region.anna.pk, "present", 120), (region.bertil.pk, "partial", 95),
        (region.dual.pk, "partial", 50)}


def test_the_organiser_row_is_preselected_as_not_counted(login, trainer, the_meeting):
    client = login(trainer)
    client.post(upload_url(the_meeting), {"file": report()})
    attendance_import = AttendanceImport.objects.get()
    review = reverse("training:attendance-import-review", kwargs={"pk": attendance_import.pk})

    page = client.get(review)
    items = {item["row"].participant.name: item for item in page.context["to_decide"]}

    assert items["Tina Tränare"]["selected"] == "ignore"
    assert items["Cecilia Carlsson (Guest)"]["selected"] == ""
    assert '<option value="ignore" selected>' in page.content.decode()


def test_saving_with_a_row_undecided_shows_why_and_saves_nothing(login, trainer, the_meeting):
    client = login(trainer)
    client.post(upload_url(the_meeting), {"file": report()})
    review = reverse("training:attendance-import-review",
                     kwargs={"pk": AttendanceImport.objects.get().pk})

    page = client.post(review, {})

    assert page.status_code == 200
    assert "Inget sparades" in page.content.decode()
    assert "Cecilia Carlsson (Guest)" in page.content.decode()
    assert not Attendance.objects.exists()


def test_a_workbook_is_refused_in_swedish_and_nothing_is_stored(login, trainer, the_meeting):
    client = login(trainer)

    page = client.post(upload_url(the_meeting), {"file": report("refused-workbook.xlsx")})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Filen är en Excel-fil." in text
    assert "Microsoft Teams" in text and "Zoom" in text
    assert not AttendanceImport.objects.exists()


def test_a_report_for_another_meeting_is_refused(login, trainer, region):
    course = make_course(region.programme, format="remote_live")
    session = make_session(course, municipality=region.ale, trainer=trainer,
                           meetings=[meeting("2025-03-11", "09:00", "11:00")])
    client = login(trainer)

    page = client.post(upload_url(session.meetings.get()), {"file": report()})

    assert page.status_code == 200
    assert "Filen är från ett annat möte" in page.content.decode()
    assert not AttendanceImport.objects.exists()


def test_a_saved_import_shows_its_result_and_cannot_be_saved_again(login, trainer,
                                                                   the_meeting):
    client = login(trainer)
    client.post(upload_url(the_meeting), {"file": report()})
    attendance_import = AttendanceImport.objects.get()
    review = reverse("training:attendance-import-review", kwargs={"pk": attendance_import.pk})
    items = client.get(review).context["to_decide"]
    client.post(review, {item["name"]: "ignore" for item in items})

    again = client.post(review, {})
    page = client.get(review)

    assert again.status_code == 302
    assert page.context["attendance_import"].is_committed
    assert "Sparad" in page.content.decode()
    assert Attendance.objects.count() == 2


def test_uploading_the_same_file_again_says_so(login, trainer, the_meeting):
    client = login(trainer)
    client.post(upload_url(the_meeting), {"file": report()})
    first = AttendanceImport.objects.get()
    review = reverse("training:attendance-import-review", kwargs={"pk": first.pk})
    items = client.get(review).context["to_decide"]
    client.post(review, {item["name"]: "ignore" for item in items})

    response = client.post(upload_url(the_meeting), {"file": report()}, follow=True)

    assert response.context["imported_before"]
    assert "Att spara den igen ändrar ingenting." in response.content.decode()


def test_a_ticked_matched_row_is_not_counted_and_a_forged_choice_is_refused(
        login, trainer, the_meeting, region):
    client = login(trainer)
    client.post(upload_url(the_meeting), {"file": report()})
    review = reverse("training:attendance-import-review",
                     kwargs={"pk": AttendanceImport.objects.get().pk})
    page = client.get(review)
    guests = {item["name"]: "ignore" for item in page.context["to_decide"]}
    bertil = next(item for item in page.context["matched"]
                  if item["row"].participant.name == "Berg, Bertil")

    forged = client.post(review, {**guests, next(iter(guests)): str(region.cecilia.pk)})
    saved = client.post(review, {**guests, bertil["name"]: "on"})

    assert forged.status_code == 200  # not one of the options: the form says so
    assert forged.context["form"].errors
    assert saved.status_code == 302
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [region.anna.pk]
