"""Forms for the catalogue, session and enrolment pages: they check the shape of input;
services.py checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modig.accounts.access import coordinated_municipality_ids, is_programme_admin
from modig.accounts.models import Role, User
from modig.competence.models import Competence
from modig.organisation.models import Municipality, Programme, TargetGroup
from modig.training.models import Course, Session


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (GET; every field optional)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("All formats")), *Course.Format.choices])
    malgrupp = forms.ModelChoiceField(label=_("Target group"), required=False,
                                      queryset=TargetGroup.objects.all(),
                                      empty_label=_("All target groups"))
    kompetens = forms.ModelChoiceField(label=_("Competence"), required=False,
                                       queryset=Competence.objects.filter(
                                           framework__is_default=True),
                                       empty_label=_("All competences"))
    kommun = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                    queryset=Municipality.objects.none(), to_field_name="code",
                                    empty_label=_("All municipalities"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].queryset = municipalities


def _municipality_choices(user, programme_municipalities):
    """Municipalities a user may put on a course or session: all of the programme's for the
    programme office, their own for a coordinator."""
    if is_programme_admin(user):
        return programme_municipalities
    return programme_municipalities.filter(pk__in=coordinated_municipality_ids(user))


class CourseForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(),
                                       empty_label=None)
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Small letters, digits and hyphens, for example "
                                       "dokumentation-grund. Used in the address."))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Plain words: what you learn and who it is for."))
    format = forms.ChoiceField(label=_("Format"), choices=Course.Format.choices)
    nominal_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=1, max_value=100_000,
        help_text=_("For a self-paced course, the time it counts as when completed."))
    prerequisite_level = forms.TypedChoiceField(
        label=_("Prerequisite level"), required=False, coerce=int, empty_value=None,
        choices=[("", _("None")), *[(n, str(n)) for n in range(1, 9)]],
        help_text=_("The DigComp level 1–8 the course assumes."))
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), required=False, queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"), required=False,
        queryset=Competence.objects.filter(framework__is_default=True),
        widget=forms.CheckboxSelectMultiple)
    materials = forms.CharField(label=_("Materials"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Links and short notes. Addresses become links."))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.none(),
        empty_label=_("The whole programme"),
        help_text=_("Choose a municipality for a local course."))
    is_published = forms.BooleanField(label=_("Published in the catalogue"), required=False)

    def __init__(self, *args, user, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:
            programmes = Programme.objects.filter(pk=course.programme_id)
        elif is_programme_admin(user):
            programmes = Programme.objects.all()
        else:
            programmes = Programme.objects.filter(
                municipalities__in=coordinated_municipality_ids(user)).distinct()
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].widget = forms.HiddenInput()
        self.fields["municipality"].queryset = _municipality_choices(
            user, Municipality.objects.filter(programmes__in=programmes).distinct())
        if not is_programme_admin(user):
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None


def _trainers():
    return User.objects.filter(
        role_assignments__role__in=[Role.TRAINER, Role.AMBASSADOR, Role.COORDINATOR,
                                    Role.PROGRAMME_ADMIN],
        is_active=True).distinct().order_by("full_name", "email")


class SessionForm(forms.Form):
    label = forms.CharField(label=_("Name"), required=False, max_length=200,
                            help_text=_("For example “Autumn group, Nödinge”. Can be empty."))
    trainer = forms.ModelChoiceField(label=_("Trainer"), required=False,
                                     queryset=User.objects.none(), empty_label=_("Not chosen"))
    place = forms.CharField(label=_("Place"), required=False, max_length=300,
                            help_text=_("Address and room, for a session on site."))
    video_url = forms.URLField(label=_("Video link"), required=False, max_length=500,
                               assume_scheme="https",
                               help_text=_("For a remote session: the link to the meeting."))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    group_level = forms.ChoiceField(
        label=_("Group level"), choices=Session.GroupLevel.choices,
        help_text=_("Small groups are for those with the lowest prior knowledge."))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.none(),
        empty_label=_("Open to the whole programme"))

    def __init__(self, *args, user, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = _trainers()
        self.fields["trainer"].label_from_instance = lambda u: u.full_name or u.email
        municipalities = _municipality_choices(user, course.programme.municipalities.all())
        if course.municipality_id:
            municipalities = municipalities.filter(pk=course.municipality_id)
        self.fields["municipality"].queryset = municipalities
        if course.municipality_id or not is_programme_admin(user):
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None


class MeetingForm(forms.Form):
    """One meeting row. An empty row is ignored; a row with `delete` ticked is removed."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("Starts"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("Ends"), required=False,
                              widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    delete = forms.BooleanField(label=_("Remove"), required=False)

    def clean(self):
        data = super().clean()
        given = [data.get(name) for name in ("date", "starts_at", "ends_at")]
        if any(given) and not all(given) and not data.get("delete"):
            raise forms.ValidationError(_("Give the date, the start and the end."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("date", "starts_at", "ends_at"))


MeetingFormSet = forms.formset_factory(MeetingForm, extra=0)


class EnrolUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or employee id"), required=False, max_length=100)
