"""Access to the attendance report import pages (issue 5, "Attendance"): those who take
attendance on a session (its trainer, the coordinator of its municipality, the programme
office) upload and review; others who can see the session get 403, the rest 404.

The session is in Ale, taught by the trainer persona, with one meeting on 4 March 2025 that
the example Teams report (docs/examples/attendance/) is for.
"""

from pathlib import Path

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, expect

REPORT = (Path(__file__).resolve().parents[2] / "src/modig/training/tests/attendance_files"
          / "teams-en-us-utf16le-crlf.csv")


def _meeting(region):
    from modig.accounts.models import User
    from modig.training.tests.factories import make_course, make_session, meeting

    course = make_course(region.programme, format="remote_live")
    session = make_session(course, municipality=region.ale,
                           trainer=User.objects.filter(email="utbildare@gr.example").first(),
                           meetings=[meeting("2025-03-04", "09:00", "11:00")])
    return session.meetings.get()


def upload(region):
    the_meeting = _meeting(region)
    return {"pk": the_meeting.session_id, "meeting_pk": the_meeting.pk}


def pending_import(region):
    from modig.training.attendance_import import start_attendance_import

    attendance_import = start_attendance_import(
        _meeting(region), file_name="rapport.csv", content=REPORT.read_bytes(), by=None)
    return {"pk": attendance_import.pk}


TAKERS = expect(OK, OK, DENY, DENY, OK, DENY, HIDE, LOGIN)
TAKERS_POST = expect(GO, GO, DENY, DENY, GO, DENY, HIDE, LOGIN)

RULES = {
    "training:attendance-import-upload": [
        Case(TAKERS, kwargs=upload),
        # A POST without a file shows the form again with the error.
        Case(TAKERS, kwargs=upload, method="post", label="no-file"),
    ],
    "training:attendance-import-review": [
        Case(TAKERS, kwargs=pending_import),
        # Nobody enrolled: every row needs a choice, "do not count" for all four saves.
        Case(TAKERS_POST, kwargs=pending_import, method="post", label="save",
             data={f"row-{index}": "ignore" for index in range(4)}),
    ],
}
