"""Forms for the roster import pages; they check the shape of input, services check the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from modig.roster import fields as f


class UploadForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"))
    file = forms.FileField(
        label=_("Staff list file"),
        error_messages={"empty": _("The file is empty. Choose the file with the staff list.")},
        help_text=_("A CSV file (comma or semicolon separated) or an Excel file (.xlsx), with "
                    "the column names in the first row."),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0].code
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MODIG_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files or remove "
                  "columns Modig does not need."), code="too_large",
                params={"size": settings.MODIG_MAX_UPLOAD_MB})
        return upload


class MappingForm(forms.Form):
    """One choice per column in the file: which Modig field it holds, or none."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Do not import"))] + [
            (field.key, f"{field.label} ({_('required')})" if field.required else field.label)
            for field in f.FIELDS
        ]
        self.headers = [header for header in headers if header]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False,
                initial=mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(f"column_{index}", "")
                for index, header in enumerate(self.headers)}


class UnitsForm(forms.Form):
    units = forms.MultipleChoiceField(
        label=_("New units to create"), widget=forms.CheckboxSelectMultiple, required=False,
    )

    def __init__(self, *args, new_units: list[str], confirmed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(label, label) for label in new_units]
        self.fields["units"].initial = confirmed


class CommitForm(forms.Form):
    full = forms.BooleanField(
        label=_("Full import: the file lists everyone employed in the municipality"),
        required=False,
    )
    confirm_deactivations = forms.BooleanField(required=False)
    missing_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, missing_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_count"].initial = missing_count
        self.fields["confirm_deactivations"].label = _(
            "Yes, mark the %(count)s employments that are missing from the file inactive"
        ) % {"count": missing_count}

    def clean(self):
        data = super().clean()
        if data.get("full") and not data.get("confirm_deactivations"):
            self.add_error("confirm_deactivations", _(
                "Tick the box to confirm, or untick full import."))
        return data
