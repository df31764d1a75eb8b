"""The respondent's forms: the short code, and one page of the questionnaire.

A page has a varying set of questions, so it is read here by hand rather than with a Django
form class: each rating item is a group of radio buttons named `item-<id>` (1–5, 0 for "don't
know"), background and follow-up items are named after the response column they fill.
Anything not offered on the page is refused with a message and nothing is saved.
"""

import html as html_lib
from dataclasses import dataclass, field

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from modig.surveys import scale
from modig.surveys.answering import Page, PageKind
from modig.surveys.models import Item

BACKGROUND_REGISTRY_FIELDS = {Item.BackgroundField.UNIT: "unit_id",
                              Item.BackgroundField.OCCUPATION: "occupation_id"}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"), max_length=40, strip=True,
        help_text=_("The code is in your letter, for example ABCD-EFGH-JK. Small letters, "
                    "spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "class": "code-input"}),
        error_messages={"required": _("Type the code from your letter.")},
    )


def escape(value) -> str:
    """As django.utils.html.escape (the same characters, the same entities), without its
    check for lazy arguments, which cost more than the escaping on these pages: every value
    here is a plain string or number."""
    return html_lib.escape(str(value))


# The radio buttons of a question are written here rather than in page.html: an area page has
# six of them for each of its questions, and the template language spent about a millisecond a
# page resolving the same few variables for each (issue 4, "Speed and loss"). The scale's labels
# are escaped once per language and process; an answer's own value only adds " checked".
_scale_labels: dict[str, tuple[tuple[int, str], ...]] = {}


def _scale_choices() -> tuple[tuple[int, str], ...]:
    language = get_language() or ""
    labels = _scale_labels.get(language)
    if labels is None:
        labels = _scale_labels[language] = tuple(
            (value, str(escape(label))) for value, label in scale.CHOICES)
    return labels


def _radio_inputs(name: str, choices, value: int | None, *, scale_: bool) -> SafeString:
    """<label class="choice"><input type="radio" …><span>label</span></label> per choice; the
    scale's "don't know" is set apart (class dont-know). `choices` hold escaped labels."""
    name = escape(name)
    parts = []
    for choice_value, label in choices:
        css = "choice dont-know" if scale_ and choice_value == scale.DONT_KNOW else "choice"
        checked = " checked" if choice_value == value else ""
        parts.append(f'<label class="{css}"><input type="radio" name="{name}" '
                     f'value="{choice_value}"{checked}><span>{label}</span></label>')
    return mark_safe("\n".join(parts))  # every part is escaped above


_SCALE_QUESTIONS_LIMIT = 4096  # written rating questions kept per process; then start again
_scale_questions: dict[tuple, SafeString] = {}


@dataclass
class Question:
    """One question as the template shows it."""

    item: Item
    name: str
    widget: str  # "scale", "radio" or "select"
    choices: list[tuple[int, str]]
    value: int | None
    error: str = ""
    # The item's text and example in the active language, looked up once (not per use).
    text: str = ""
    example: str = ""

    def __post_init__(self):
        self.text = self.text or self.item.text
        self.example = self.example or self.item.example

    @property
    def id(self) -> str:
        return f"q-{self.item.pk}"

    @property
    def describedby(self) -> SafeString:
        """ aria-describedby="…" for the example and the error, when there are any."""
        ids = [f"{self.id}-example"] * bool(self.example) + [f"{self.id}-error"] * bool(self.error)
        return mark_safe(f' aria-describedby="{" ".join(ids)}"' if ids else "")  # ids only

    @property
    def html(self) -> SafeString:
        """The whole question: a labelled select, or a fieldset of radio buttons. Written here
        rather than in page.html: the template language cost about a third of a page's CPU
        time resolving the same variables for each question (issue 4, "Speed and loss").

        A rating question without an error is the same HTML for everyone who gave it the same
        answer, so it is written once per process for each of its seven states (no answer,
        0-5) and language; the key holds everything the HTML is made of."""
        if self.widget != "scale" or self.error:
            return self._html()
        key = (self.item.pk, self.name, self.text, self.example, self.value, get_language())
        html = _scale_questions.get(key)
        if html is None:
            if len(_scale_questions) >= _SCALE_QUESTIONS_LIMIT:
                _scale_questions.clear()
            html = _scale_questions[key] = self._html()
        return html

    def _html(self) -> SafeString:
        qid, text = self.id, escape(self.text)
        example = (f'<p class="example" id="{qid}-example">{escape(self.example)}</p>'
                   if self.example else "")
        error = f'<p class="errors" id="{qid}-error">{escape(self.error)}</p>' if self.error else ""
        error_class = " field-error" if self.error else ""
        if self.widget == "select":
            choose = escape(gettext("Choose"))  # outside the f-string, where xgettext finds it
            options = "".join(
                f'<option value="{escape(value)}"{" selected" if value == self.value else ""}>'
                f"{escape(label)}</option>" for value, label in self.choices)
            return mark_safe(  # every part is escaped above
                f'<div class="field question{error_class}">\n'
                f'<label for="{qid}">{text}</label>\n{example}{error}'
                f'<select id="{qid}" name="{escape(self.name)}"{self.describedby}>\n'
                f'<option value="">{choose}</option>{options}\n'
                f"</select>\n</div>")
        scale_class = " scale" if self.widget == "scale" else ""
        return mark_safe(  # every part is escaped above
            f'<fieldset class="question{error_class}" id="{qid}"{self.describedby}>\n'
            f"<legend>{text}</legend>\n{example}{error}"
            f'<div class="choices{scale_class}">\n{self.inputs}\n</div>\n</fieldset>')

    @property
    def inputs(self) -> SafeString:
        """The radio buttons of a scale or radio question, the saved or posted one checked."""
        if self.widget == "scale":
            return _radio_inputs(self.name, _scale_choices(), self.value, scale_=True)
        return _radio_inputs(self.name, [(v, escape(label)) for v, label in self.choices],
                             self.value, scale_=False)


@dataclass
class PageForm:
    """The questions of one page, filled with what is saved or with what was posted."""

    page: Page
    questions: list[Question] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ratings: dict[int, int | None] = field(default_factory=dict)
    background: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def build(cls, page: Page, *, answers: dict[int, int], response,
              units: list[tuple[int, str]] = (), occupations: list[tuple[int, str]] = (),
              item_choices=None) -> "PageForm":
        form = cls(page)
        for item in page.items:
            if item.kind == Item.Kind.RATING:
                form.questions.append(Question(item, f"item-{item.pk}", "scale",
                                               list(scale.CHOICES), answers.get(item.pk)))
                continue
            column = BACKGROUND_REGISTRY_FIELDS.get(item.background_field,
                                                    item.background_field)
            if item.background_field == Item.BackgroundField.UNIT:
                choices, widget = list(units), "select"
            elif item.background_field == Item.BackgroundField.OCCUPATION:
                choices, widget = list(occupations), "select"
            else:
                choices, widget = item_choices(item), "radio"
            form.questions.append(Question(item, item.background_field, widget, choices,
                                           getattr(response, column, None)))
        return form

    def bind(self, data) -> bool:
        """Read the posted values; True when every one is a choice the page offered."""
        for question in self.questions:
            raw = (data.get(question.name) or "").strip()
            allowed = {value for value, _label in question.choices}
            if raw == "":
                value = None
            else:
                try:
                    value = int(raw)
                except ValueError:
                    value = -1
                if value not in allowed:
                    question.error = str(_("Choose one of the answers shown."))
                    self.errors.append(question.error)
                    continue
            question.value = value
            if question.item.kind == Item.Kind.RATING:
                self.ratings[question.item.pk] = value
            else:
                column = BACKGROUND_REGISTRY_FIELDS.get(question.item.background_field,
                                                        question.item.background_field)
                # An empty unit or occupation keeps what the registry said about the person.
                if value is not None or column not in BACKGROUND_REGISTRY_FIELDS.values():
                    self.background[column] = value
        return not self.errors

    @property
    def is_background(self) -> bool:
        return self.page.kind == PageKind.BACKGROUND

    @property
    def is_follow_up(self) -> bool:
        return self.page.kind == PageKind.FOLLOW_UP
