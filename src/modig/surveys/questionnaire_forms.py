"""Forms for the questionnaire pages: they check the shape of input, services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modig.competence.models import Competence


class QuestionnaireTextsForm(forms.Form):
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro_sv = forms.CharField(
        label=_("Swedish introduction"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shown before the first question. Say what the survey is for, in plain "
                    "words."),
    )
    intro_en = forms.CharField(label=_("English introduction"), required=False,
                               widget=forms.Textarea(attrs={"rows": 8}))


class CompetenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, competence):
        return f"{competence.code} {competence.title}"


class ItemForm(forms.Form):
    """A question's texts; for a self-rating item also the competence it measures."""

    competence = CompetenceChoiceField(
        label=_("Competence the question measures"), queryset=Competence.objects.none(),
        empty_label=_("Choose a competence"),
    )
    text_sv = forms.CharField(
        label=_("Swedish text"), max_length=400,
        help_text=_("Write it as “Jag kan …”, so that it fits the answer scale."),
    )
    text_en = forms.CharField(label=_("English text"), max_length=400, required=False)
    example_sv = forms.CharField(
        label=_("Swedish example"), max_length=400, required=False,
        help_text=_("A concrete example from care work."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    example_en = forms.CharField(label=_("English example"), max_length=400, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, framework, rating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if rating:
            self.fields["competence"].queryset = (
                Competence.objects.filter(framework=framework).select_related("area")
                .order_by("area__position", "position", "code")
            )
        else:
            del self.fields["competence"]
