"""Attendance report import pages: upload a Teams or Zoom report for one meeting → review the
rows that match nobody or several people → save (all or nothing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from modig.training import attendance_import as imports
from modig.training.imports_forms import AttendanceReviewForm, AttendanceUploadForm
from modig.training.models import Attendance


def attendance_import_upload(request, pk: int, meeting_pk: int):
    """Upload the report; a file Modig cannot use is refused with nothing stored."""
    meeting = imports.meeting_for_import(request.user, pk, meeting_pk)
    posted = request.method == "POST"
    form = AttendanceUploadForm(request.POST if posted else None,
                                request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attendance_import = imports.start_attendance_import(
                meeting, file_name=upload.name, content=upload.read(), by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("training:attendance-import-review", pk=attendance_import.pk)
    return render(request, "training/imports/attendance_import_upload.html", {
        "meeting": meeting, "session": meeting.session, "form": form,
        "earlier": meeting.attendance_imports.select_related("uploaded_by")[:10],
    })


def _records(meeting, row) -> str:
    """What saving would record for the row's time, in words."""
    status, minutes = imports.status_for(meeting, row.seconds)
    if status == Attendance.Status.PARTIAL:
        return _("Partly present, %(minutes)s min") % {"minutes": minutes}
    return Attendance.Status(status).label


def attendance_import_review(request, pk: int):
    """Who each row is, the rows to decide, and what saving records; POST saves."""
    attendance_import = imports.attendance_import_for_user(request.user, pk)
    meeting = attendance_import.meeting
    rows = imports.match_rows(attendance_import, user=request.user)
    enrolled = list(imports.enrolled_people(meeting.session))
    taken = {row.person.pk for row in rows if row.state == imports.MATCHED}
    choices = {row.index: imports.choices_for(row, enrolled, taken)
               for row in rows if row.needs_decision}
    form = AttendanceReviewForm(request.POST if request.method == "POST" else None, rows=rows,
                                choices=choices)
    if request.method == "POST" and attendance_import.is_committed:
        return redirect("training:attendance-import-review", pk=attendance_import.pk)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_import = imports.commit_attendance_import(
                attendance_import, by=request.user, decisions=form.decisions())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("training:attendance-import-review", pk=attendance_import.pk)
    items = [{**item, "records": _records(meeting, item["row"])} for item in form.items()]
    return render(request, "training/imports/attendance_import_review.html", {
        "attendance_import": attendance_import, "meeting": meeting,
        "session": meeting.session, "report": imports.report_of(attendance_import),
        "form": form,
        "to_decide": [item for item in items if item["row"].needs_decision],
        "matched": [item for item in items if not item["row"].needs_decision],
        "imported_before": imports.was_imported_before(attendance_import),
        "tolerance": imports.PRESENT_TOLERANCE_MINUTES,
    })
