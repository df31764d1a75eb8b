"""Test builders for surveys: a small questionnaire, an open round, invitations with secrets.

Invitations here are made directly (for tests of other parts); the invitation service in
surveys/invitations.py is what the product uses.
"""

import datetime

from django.utils import timezone

from modig.competence.models import Framework
from modig.organisation.models import Person, Programme
from modig.surveys import tokens
from modig.surveys.models import Invitation, Item, Questionnaire, Round


def make_questionnaire(*, code: str = "test-staff", items_per_area: int = 2,
                       background: bool = True) -> Questionnaire:
    """Background items (unit, occupation, years in care) and `items_per_area` ratings per
    DigComp area, each on a different competence."""
    framework = Framework.objects.get(code="digcomp-2-2")
    questionnaire = Questionnaire.objects.create(
        code=code, framework=framework, title_sv="Testformulär", title_en="Test questionnaire"
    )
    position = 0
    if background:
        for field in (Item.BackgroundField.UNIT, Item.BackgroundField.OCCUPATION):
            position += 1
            Item.objects.create(questionnaire=questionnaire, position=position,
                                kind=Item.Kind.BACKGROUND, background_field=field,
                                text_sv=f"Bakgrund {field}", text_en=f"Background {field}")
        position += 1
        Item.objects.create(
            questionnaire=questionnaire, position=position, kind=Item.Kind.BACKGROUND,
            background_field=Item.BackgroundField.YEARS_IN_CARE,
            text_sv="Hur länge har du arbetat i vård och omsorg?",
            text_en="How long have you worked in care?",
            choices=[{"value": 1, "sv": "Mindre än 2 år", "en": "Less than 2 years"},
                     {"value": 2, "sv": "2–10 år", "en": "2–10 years"},
                     {"value": 3, "sv": "Mer än 10 år", "en": "More than 10 years"}],
        )
    for area in framework.areas.order_by("position"):
        for competence in area.competences.order_by("position")[:items_per_area]:
            position += 1
            Item.objects.create(
                questionnaire=questionnaire, position=position, kind=Item.Kind.RATING,
                competence=competence, text_sv=f"Jag kan {competence.title_sv.lower()}",
                text_en=f"I can {competence.title_en.lower()}",
                example_sv="Till exempel i arbetet.", example_en="For example at work.",
            )
    return questionnaire


def make_round(programme: Programme, questionnaire: Questionnaire | None = None, *,
               published: bool = True, **fields) -> Round:
    """A round open from yesterday for a month, published unless told otherwise."""
    today = timezone.localdate()
    defaults = {
        "name": "Nulägesmätning hösten", "kind": Round.Kind.BASELINE,
        "anonymity": Round.Anonymity.PSEUDONYMOUS,
        "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=30),
        "min_group_size": programme.min_group_size,
    }
    defaults.update(fields)
    round_ = Round.objects.create(
        programme=programme, questionnaire=questionnaire or make_questionnaire(), **defaults
    )
    if published:
        round_.published_at = timezone.now()
        round_.save(update_fields=["published_at"])
    return round_


def make_invitation(round_: Round, person: Person, *,
                    channel: str = Invitation.Channel.EMAIL) -> tuple[Invitation, str, str]:
    """(invitation, link token, short code) for a person, placed where they work."""
    employment = person.employments.filter(is_active=True).first()
    salt = tokens.new_salt()
    token_digest, code_digest = tokens.digests_for(salt)
    invitation = Invitation.objects.create(
        round=round_, person=person, channel=channel, salt=salt,
        token_digest=token_digest, short_code_digest=code_digest,
        municipality=employment.municipality, unit=employment.units.first(),
    )
    return invitation, tokens.link_token(salt), tokens.short_code(salt)


YES_NO_CHOICES = [{"value": 3, "sv": "Ja, mycket", "en": "Yes, a lot"},
                  {"value": 2, "sv": "Ja, lite", "en": "Yes, a little"},
                  {"value": 1, "sv": "Nej", "en": "No"},
                  {"value": 0, "sv": "Vet inte", "en": "Don't know"}]


def add_follow_up_items(questionnaire: Questionnaire,
                        fields=(Item.OutcomeField.KNOWLEDGE_GAIN,)) -> list[Item]:
    """Follow-up items (asked in follow-up rounds only) at the end of the questionnaire."""
    last = questionnaire.items.order_by("-position").values_list("position", flat=True).first()
    return [Item.objects.create(
        questionnaire=questionnaire, position=(last or 0) + n, kind=Item.Kind.OUTCOME,
        background_field=field, text_sv=f"Uppföljning {field}", text_en=f"Follow-up {field}",
        choices=YES_NO_CHOICES) for n, field in enumerate(fields, start=1)]
