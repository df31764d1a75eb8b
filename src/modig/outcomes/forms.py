"""The dashboards' filter form (GET: works without JavaScript, links can be shared)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modig.organisation.models import Municipality, TargetGroup


class TargetGroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_code_display()


class DashboardFilter(forms.Form):
    fran = forms.DateField(label=_("From"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    till = forms.DateField(label=_("To"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    kommun = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                    queryset=Municipality.objects.none(), to_field_name="code",
                                    empty_label=_("All municipalities"))
    malgrupp = TargetGroupChoice(label=_("Target group"), required=False,
                                 queryset=TargetGroup.objects.all(), to_field_name="code",
                                 empty_label=_("All target groups"))

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["kommun"]
        else:
            self.fields["kommun"].queryset = municipalities

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["fran"] > data["till"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data
