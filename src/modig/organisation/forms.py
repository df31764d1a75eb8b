"""Forms of the registry pages: they check the shape of the input, services do the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modig.organisation.models import Municipality, Occupation, StaffCategory, Unit


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown with dashes for their depth, so the tree reads in a plain select."""

    def label_from_instance(self, unit: Unit) -> str:
        depth = max(unit.path.count("/") - 2, 0)
        return f"{'– ' * depth}{unit.name}"


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        help_text=_("Name, e-mail or employee id"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kommun = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False,
        to_field_name="code", empty_label=_("All"),
    )
    enhet = UnitChoiceField(
        label=_("Unit (and the units below it)"), queryset=Unit.objects.none(), required=False,
        empty_label=_("All"),
    )
    kategori = forms.ChoiceField(
        label=_("Staff category"), required=False,
        choices=[("", _("All")), *StaffCategory.choices],
    )
    yrke = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.all(), required=False,
        to_field_name="ssyk_code", empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Employment"), required=False,
        choices=[("active", _("Active")), ("inactive", _("No longer active")), ("all", _("All"))],
    )

    def __init__(self, *args, municipalities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].queryset = municipalities
        self.fields["enhet"].queryset = units.select_related("municipality").order_by(
            "municipality__name", "path"
        )

    def search_arguments(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        municipality = data.get("kommun")
        unit = data.get("enhet")
        occupation = data.get("yrke")
        return {
            "text": data.get("q", ""),
            "municipality_code": municipality.code if municipality else "",
            "unit_id": unit.pk if unit else None,
            "staff_category": data.get("kategori", ""),
            "occupation_code": occupation.ssyk_code if occupation else "",
            "status": data.get("status") or "active",
        }


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=Unit.Kind.choices,
                             initial=Unit.Kind.UNIT)
    code = forms.CharField(label=_("Unit code"), max_length=50, required=False,
                           help_text=_("The code in your HR system, if it has one."))
    parent = UnitChoiceField(
        label=_("Belongs to"), queryset=Unit.objects.none(), required=False,
        empty_label=_("Nothing (top of the municipality)"),
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=_("Which record should be kept?"), coerce=int, widget=forms.RadioSelect,
        help_text=_("The other record's employments move to the one you keep, and "
                    "details it lacks are filled in. Then the other record is removed."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (p.pk, f"{p.full_name} ({p.birth_year or '–'}, {p.email or '–'})") for p in people
        ]
