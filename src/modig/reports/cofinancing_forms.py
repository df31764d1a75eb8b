from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class UnitCostForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    sek_per_hour = forms.DecimalField(label=_("SEK per participant hour"), max_digits=9,
                                      decimal_places=2, min_value=Decimal("0.01"),
                                      localize=True)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not self.programme.starts_on.year <= year <= self.programme.ends_on.year:
            raise forms.ValidationError(
                _("Choose a year of the programme period: %(first)s to %(last)s.")
                % {"first": self.programme.starts_on.year, "last": self.programme.ends_on.year})
        return year
