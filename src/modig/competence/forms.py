"""Forms for the framework pages: they check the shape of input, services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CSV_BYTES = 1024 * 1024


class FrameworkForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=50,
        help_text=_("Small letters, digits and hyphens. Used in addresses and CSV files, for "
                    "example digcomp-2-2."),
    )
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    version = forms.CharField(label=_("Version"), max_length=20, required=False)
    source = forms.CharField(label=_("Source"), max_length=400, required=False,
                             help_text=_("Who published the framework, and where."))
    is_default = forms.BooleanField(
        label=_("Default framework"), required=False,
        help_text=_("New questionnaires use the default framework."),
    )


class AreaForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10,
                           help_text=_("For example 1, 2 or A."))
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)


class CompetenceForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Competence area"), queryset=None,
                                  empty_label=_("Choose an area"))
    code = forms.CharField(label=_("Code"), max_length=10,
                           help_text=_("For example 1.2."))
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=300)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = framework.areas.order_by("position", "code")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={"empty": _("The file is empty. Choose a CSV file with the framework."),
                        "required": _("Choose a CSV file with the framework.")},
        help_text=_("One row per competence. Semicolon or comma between columns. Export a "
                    "framework to get an example."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB. A framework file is much smaller: check that "
                  "you chose the right file."), code="too_large")
        return upload
