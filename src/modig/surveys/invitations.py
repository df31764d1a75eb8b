"""Invitations: one per person in a round's population, each with its own secrets.

- `invite_population(round)` creates the missing invitations in batches with bulk inserts, so
  a national round of 300,000 people is a few hundred statements, and running it again (or
  twice at the same time) invites nobody twice: the (round, person) pair is unique and inserts
  that clash are skipped.
- Secrets are never stored: an invitation keeps a random salt and the digests of the link
  token and short code derived from it (`surveys.tokens`). `letter_secrets` derives them again
  when a message or a letter needs them.
- The short code has 50 bits, so across millions of invitations two may, very rarely, share a
  digest; the insert of the second is skipped by the unique index and the person gets a new
  salt on the next try.
- People who join a unit while a recurring round is open are invited by
  `invite_if_in_open_recurring_rounds` (called by the registry and roster services after
  their change is saved).
"""

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from modig.organisation.models import Person
from modig.surveys import tokens
from modig.surveys.models import Invitation, Round
from modig.surveys.population import Population, for_round

logger = logging.getLogger(__name__)

BATCH = 2000
MAX_TRIES = 5


def letter_secrets(invitation: Invitation) -> tuple[str, str]:
    """(link token, short code) of an invitation, derived again from its salt."""
    return tokens.link_token(invitation.salt), tokens.short_code(invitation.salt)


def channel_for(email: str, mobile: str) -> str:
    """E-mail when the person has an address, else SMS when they have a mobile, else a letter."""
    if email:
        return Invitation.Channel.EMAIL
    if mobile:
        return Invitation.Channel.SMS
    return Invitation.Channel.LETTER


def _insert_ignoring_conflicts(rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a row that would duplicate
    (round, person) or a digest is skipped. Plain SQL because building a 2,000-row statement
    through bulk_create costs more than running it; on PostgreSQL one statement of column
    arrays (unnest), on SQLite an executemany (in process, no round trips). Columns not given
    get their model default, so a field added to Invitation later still gets a value."""
    fields = [f for f in Invitation._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    fixed = {}
    for field in fields:
        if field.attname in rows[0]:
            continue
        value = now if getattr(field, "auto_now_add", False) or getattr(
            field, "auto_now", False) else field.get_default()
        fixed[field.attname] = field.get_db_prep_save(value, connection)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Invitation._meta.db_table)
    values = [[row[f.attname] if f.attname in row else fixed[f.attname] for f in fields]
              for row in rows]
    # Only model metadata (table, column names and types) goes into the SQL text; every value
    # is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement with one array per column: no per-row round trip or parsing.
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            sql = (f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "  # noqa: S608
                   "ON CONFLICT DO NOTHING")
            cursor.execute(sql, [list(column) for column in zip(*values, strict=True)])
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = (f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
                   "ON CONFLICT DO NOTHING")
            cursor.executemany(sql, values)


def _new_row(round_id: int, person_id: int, municipality_id: int, unit_id: int | None,
             channel: str) -> dict:
    salt = tokens.new_salt()
    token_digest, code_digest = tokens.digests_for(salt)
    return {"round_id": round_id, "person_id": person_id, "municipality_id": municipality_id,
            "unit_id": unit_id, "channel": str(channel), "salt": salt,
            "token_digest": token_digest, "short_code_digest": code_digest}


def _invite_batch(round_id: int, population: Population, person_ids: list[int]) -> int:
    """Invite these people (none of them invited yet, as far as the caller knows)."""
    placements = population.placements(person_ids)
    contacts = {pk: (email, mobile) for pk, email, mobile in
                Person.objects.filter(pk__in=list(placements))
                .values_list("pk", "email", "mobile")}
    waiting = [pk for pk in person_ids if pk in placements and pk in contacts]
    created = 0
    for _attempt in range(MAX_TRIES):
        if not waiting:
            break
        _insert_ignoring_conflicts(
            [_new_row(round_id, pk, *placements[pk], channel_for(*contacts[pk]))
             for pk in waiting])
        present = set(Invitation.objects.filter(round_id=round_id, person_id__in=waiting)
                      .values_list("person_id", flat=True))
        created += len(present)
        waiting = [pk for pk in waiting if pk not in present]
    if waiting:  # pragma: no cover - five digest collisions in a row
        logger.error("invitations not created", extra={"round": round_id,
                                                       "people": len(waiting)})
    return created


def invite_population(round_: Round, *, person_ids: Iterable[int] | None = None) -> int:
    """Create an invitation for everyone in the round's population who has none yet (or only
    for the given people, when they are in the population). Returns how many were created."""
    population = for_round(round_)
    candidates = population.employments()
    if person_ids is not None:
        candidates = candidates.filter(person_id__in=list(person_ids))
    wanted = sorted(set(candidates.values_list("person_id", flat=True)))
    invited = set(Invitation.objects.filter(round=round_, person_id__in=wanted)
                  .values_list("person_id", flat=True)) if person_ids is not None else set(
        Invitation.objects.filter(round=round_).values_list("person_id", flat=True))
    missing = [pk for pk in wanted if pk not in invited]
    created = 0
    for start in range(0, len(missing), BATCH):
        with transaction.atomic():
            created += _invite_batch(round_.pk, population, missing[start:start + BATCH])
    return created


def open_recurring_rounds():
    return Round.objects.open_now().filter(kind=Round.Kind.RECURRING)


def invite_if_in_open_recurring_rounds(person: Person | int) -> int:
    """Invite a person who has just joined a unit (or moved) to every open recurring round
    whose population now includes them, and queue their message. Returns invitations made."""
    person_id = getattr(person, "pk", person)
    return invite_people_to_open_recurring_rounds([person_id])


def invite_people_to_open_recurring_rounds(person_ids: Iterable[int] | None = None) -> int:
    """The same for many people at once (a committed staff list); None means everyone."""
    from modig.surveys.tasks import send_invitations

    person_ids = list(person_ids) if person_ids is not None else None
    total = 0
    for round_ in open_recurring_rounds():
        created = invite_population(round_, person_ids=person_ids)
        if created:
            total += created
            send_invitations.enqueue(round_.pk)
    return total


def invite_into_open_recurring_rounds_later(person_ids: Iterable[int] | None = None) -> None:
    """Hook for registry writes (a committed staff list, a moved unit): call it with
    `transaction.on_commit` after the change is saved. It only queues a background task, so
    the request or import is not slowed down, and does nothing when no recurring round is
    open."""
    from modig.surveys.tasks import invite_into_open_recurring_rounds

    if not open_recurring_rounds().exists():
        return
    invite_into_open_recurring_rounds.enqueue(
        sorted(set(person_ids)) if person_ids is not None else None)
