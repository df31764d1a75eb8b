"""Forms of the group formation pages: they check the input's shape; the rules are in
training/grouping.py."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modig.organisation.models import Occupation, TargetGroup, Unit
from modig.training import grouping
from modig.training.models import Course, GroupProposal


class ProposalForm(forms.Form):
    """What to propose groups for: course, baseline round, population and the group rules."""

    course = forms.ModelChoiceField(queryset=Course.objects.none(), to_field_name="code",
                                    label=_("Course"), empty_label=_("Choose a course"))
    survey_round = forms.ModelChoiceField(
        queryset=None, label=_("Baseline survey"), empty_label=_("Choose a survey round"),
        help_text=_("Only pseudonymous baseline rounds are listed: in an anonymous round no "
                    "one can see who answered what."))
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"),
                                          empty_label=_("Choose a municipality"))
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Units"),
        help_text=_("Leave empty for the whole municipality. A unit includes the units "
                    "below it."))
    occupations = forms.ModelMultipleChoiceField(
        queryset=Occupation.objects.order_by("title_sv"), required=False,
        widget=forms.CheckboxSelectMultiple, label=_("Occupations"),
        help_text=_("Leave empty for all occupations."))
    target_groups = forms.ModelMultipleChoiceField(
        queryset=TargetGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, label=_("Target groups"),
        help_text=_("Leave empty for all target groups."))
    support_rule = forms.ChoiceField(
        choices=GroupProposal.SupportRule.choices, widget=forms.RadioSelect,
        initial=GroupProposal.SupportRule.SHARE, label=_("Who gets extra support?"))
    support_share = forms.IntegerField(
        min_value=0, max_value=100, required=False, initial=grouping.DEFAULT_SHARE,
        label=_("The lowest share, in per cent"),
        help_text=_("Of those who answered. People with the same score as the last one in "
                    "also get extra support."))
    support_threshold = forms.DecimalField(
        min_value=1, max_value=5, max_digits=2, decimal_places=1, required=False,
        initial="2.0", label=_("Score limit, from 1 to 5"),
        help_text=_("Everyone whose mean score is at or below the limit."))
    small_group_size = forms.IntegerField(min_value=2, max_value=50,
                                          initial=grouping.DEFAULT_SMALL_SIZE,
                                          label=_("People per small group"))
    regular_group_size = forms.IntegerField(min_value=2, max_value=100,
                                            initial=grouping.DEFAULT_REGULAR_SIZE,
                                            label=_("People per regular group"))
    no_baseline_in_small_groups = forms.BooleanField(
        required=False, label=_("Put people who did not answer in small groups"),
        help_text=_("If you do not tick this, they go to regular groups."))

    def __init__(self, *args, user, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.visible_to(user).order_by("title")
        self.fields["survey_round"].queryset = grouping.baseline_rounds_for(user)
        self.fields["municipality"].queryset = grouping.municipalities_for(user)
        if municipality is not None:
            self.fields["units"].queryset = Unit.objects.filter(
                municipality=municipality, is_active=True).order_by("path")

    def clean(self):
        data = super().clean()
        rule = data.get("support_rule")
        if rule == GroupProposal.SupportRule.SHARE and data.get("support_share") is None:
            self.add_error("support_share", _("Give a share from 0 to 100 per cent."))
        if rule == GroupProposal.SupportRule.THRESHOLD and data.get("support_threshold") is None:
            self.add_error("support_threshold", _("Give a score from 1 to 5, for example 2.5."))
        return data


class MoveForm(forms.Form):
    """Where to move a person: a group of the proposal or a new group."""

    group = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, groups, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        choices = [(key, group_label(g)) for key, g in self.groups.items()
                   if g.pk != current]
        choices += [(grouping.NEW_SMALL_GROUP, _("A new small group")),
                    (grouping.NEW_REGULAR_GROUP, _("A new regular group"))]
        self.fields["group"].choices = choices

    def target(self):
        value = self.cleaned_data["group"]
        return self.groups.get(value, value)


def group_label(group) -> str:
    return gettext("Group %(number)s (%(level)s)") % {
        "number": group.number, "level": group.get_level_display().lower()}


class SessionChoiceForm(forms.Form):
    """The session a group goes to, or none."""

    session = forms.ChoiceField(widget=forms.RadioSelect, label=_("Session"))

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        self.fields["session"].choices = [(key, str(s)) for key, s in self.sessions.items()] + [
            ("", _("No session yet"))]
        self.fields["session"].required = False

    def chosen(self):
        return self.sessions.get(self.cleaned_data["session"])
