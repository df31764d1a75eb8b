"""Forms for importing an attendance report: they check the shape of input; the rules are in
attendance_import.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files import MAX_BYTES
from modig.training.attendance_import import IGNORE


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance report"),
        error_messages={"empty": _("The file is empty. Choose the report you downloaded.")},
        help_text=_("The .csv file you downloaded from Teams or exported from Zoom, as it is."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. An attendance report is much smaller: "
                  "check that you chose the right file."), code="too_large",
                params={"size": MAX_BYTES // (1024 * 1024)})
        return upload


class AttendanceReviewForm(forms.Form):
    """One choice per row that needs a decision (a person or "do not count"), and a "do not
    count" box per matched row."""

    def __init__(self, *args, rows, choices: dict[int, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row.needs_decision:
                options = [("", _("Choose…")), (IGNORE, _("Do not count"))]
                options += [(str(p.pk), p.full_name) for p in choices[row.index]]
                self.fields[f"row-{row.index}"] = forms.ChoiceField(
                    label=row.participant.name, choices=options, required=False,
                    initial=IGNORE if row.suggests_ignoring else "")
            else:
                self.fields[f"ignore-{row.index}"] = forms.BooleanField(
                    label=_("Do not count"), required=False)

    def decisions(self) -> dict[int, str]:
        """{row index: person id or IGNORE} for the rows the user decided."""
        result = {}
        for row in self.rows:
            if row.needs_decision:
                value = self.cleaned_data.get(f"row-{row.index}", "")
                if value:
                    result[row.index] = value
            elif self.cleaned_data.get(f"ignore-{row.index}"):
                result[row.index] = IGNORE
        return result

    def items(self) -> list[dict]:
        """Per row what the page shows: the input's name, and the options with the chosen one
        (a row to decide) or whether it is ticked (a matched row). The page writes the inputs
        itself: rendering 2,000 widgets through their templates took seconds."""
        items = []
        for row in self.rows:
            if row.needs_decision:
                name = f"row-{row.index}"
                items.append({"row": row, "name": name, "selected": self[name].value() or "",
                              "options": self.fields[name].choices})
            else:
                name = f"ignore-{row.index}"
                items.append({"row": row, "name": name, "checked": bool(self[name].value())})
        return items
