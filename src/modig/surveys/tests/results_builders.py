"""Submitted responses made directly, for the results tests (the answering flow has its own
tests; here only the figures matter)."""

import uuid

from django.utils import timezone

from modig.surveys.models import Answer, Item, Response, Round


def rating_items(round_: Round) -> list[Item]:
    return list(round_.questionnaire.items.filter(kind=Item.Kind.RATING).order_by("position"))


def submit(round_: Round, *, municipality, unit=None, occupation=None, target_group=None,
           value: int = 3, values: dict | None = None, respondent_key=None) -> Response:
    """A submitted response rating every item `value` (or per item from `values`)."""
    if respondent_key is None and round_.is_pseudonymous:
        respondent_key = uuid.uuid4()
    response = Response.objects.create(
        round=round_, municipality=municipality, unit=unit, occupation=occupation,
        target_group=target_group, respondent_key=respondent_key, submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create([
        Answer(response=response, item=item, value=(values or {}).get(item.pk, value))
        for item in rating_items(round_)
    ])
    return response


def submit_many(round_: Round, count: int, **fields) -> list[Response]:
    return [submit(round_, **fields) for _ in range(count)]
