"""Answering a self-assessment: finding an invitation from a link or a short code, saving a
page of answers, submitting once, and the person's own profile afterwards.

Respondents have no account. What ties a browser to an invitation is a signed cookie set by the
respondent views (see `respond_views`); these services take the invitation or response and do
the work, each in as few SQL statements as possible, because every respondent page is on the
hot path of a campaign (issue 4, "Speed and loss").

Secrets are never logged: link tokens and short codes are only hashed here (`tokens.digest`)
and compared by digest; nothing below puts them in a log line, an exception or a message.
"""

import datetime
import logging
import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db import IntegrityError, connections, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modig.competence.models import CompetenceArea
from modig.lib.prepared import prepared_cursor
from modig.organisation.models import Employment, Occupation, Person, Unit
from modig.surveys import scale, tokens
from modig.surveys.models import (
    Answer,
    FailedCodeAttempt,
    Invitation,
    Item,
    Questionnaire,
    Response,
    Round,
)

logger = logging.getLogger("modig.surveys")

# Wrong codes from one address: after this many within the window, refuse until it has passed.
FAILED_CODE_LIMIT = 5
FAILED_CODE_WINDOW = datetime.timedelta(minutes=10)

# Time estimate: a rating takes about 20 seconds to read and answer on a phone, a background
# question about 10; plus a minute for the start and the last page.
SECONDS_PER_RATING = 20
SECONDS_PER_BACKGROUND = 10


# The questionnaire as pages ----------------------------------------------------------------

class PageKind(StrEnum):
    BACKGROUND = "background"
    AREA = "area"
    FOLLOW_UP = "follow_up"
    REVIEW = "review"


@dataclass(frozen=True)
class Page:
    """One screen: the background questions, one competence area, or the last page."""

    number: int  # 1-based
    kind: PageKind
    items: tuple[Item, ...] = ()
    area: CompetenceArea | None = None
    # The last page of questions: its button sends the answers (the last page, which says how
    # many are left, is shown only when some are).
    sends: bool = False

    @property
    def title(self) -> str:
        if self.kind == PageKind.AREA:
            return self.area.title
        if self.kind == PageKind.BACKGROUND:
            return str(_("About you and your work"))
        if self.kind == PageKind.FOLLOW_UP:
            return str(_("Since the training started"))
        return str(_("Send your answers"))

    @property
    def item_ids(self) -> list[int]:
        return [item.pk for item in self.items]


@dataclass(frozen=True)
class Structure:
    """A questionnaire's pages: background first, one per competence area, in a follow-up
    round the follow-up items, the last page."""

    questionnaire_id: int
    pages: tuple[Page, ...]
    rating_items: tuple[Item, ...] = field(default=())
    background_items: tuple[Item, ...] = field(default=())
    follow_up_items: tuple[Item, ...] = field(default=())

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    @property
    def minutes(self) -> int:
        seconds = (len(self.rating_items) * SECONDS_PER_RATING
                   + (len(self.background_items) + len(self.follow_up_items))
                   * SECONDS_PER_BACKGROUND + 60)
        minutes = max(1, math.ceil(seconds / 60))
        # "About 12 minutes" promises a precision no one has: past five, say it in fives.
        return minutes if minutes <= 5 else 5 * round(minutes / 5)

    @property
    def question_count(self) -> int:
        return len(self.rating_items) + len(self.background_items) + len(self.follow_up_items)

    @cached_property
    def rating_item_ids(self) -> list[int]:
        return [item.pk for item in self.rating_items]

    @cached_property
    def areas(self) -> list[CompetenceArea]:
        return [page.area for page in self.pages if page.kind == PageKind.AREA]


def _build_structure(questionnaire_id: int, follow_up: bool = False) -> Structure:
    items = list(
        Item.objects.filter(questionnaire_id=questionnaire_id)
        .select_related("competence__area")
        .order_by("position", "id")
    )
    background = tuple(item for item in items if item.kind == Item.Kind.BACKGROUND)
    ratings = sorted(
        (item for item in items if item.kind == Item.Kind.RATING),
        key=lambda item: (item.competence.area.position, item.competence.area.code,
                          item.position, item.pk),
    )
    pages: list[Page] = []
    if background:
        pages.append(Page(1, PageKind.BACKGROUND, background))
    by_area: dict[int, list[Item]] = {}
    areas: dict[int, CompetenceArea] = {}
    for item in ratings:
        area = item.competence.area
        areas.setdefault(area.pk, area)
        by_area.setdefault(area.pk, []).append(item)
    for area_id, area_items in by_area.items():
        pages.append(Page(len(pages) + 1, PageKind.AREA, tuple(area_items), areas[area_id]))
    # Follow-up items are asked in follow-up rounds only, after the ratings; their answers go
    # to the response's own columns, as background answers do.
    outcome = (tuple(item for item in items if item.kind == Item.Kind.OUTCOME)
               if follow_up else ())
    if outcome:
        pages.append(Page(len(pages) + 1, PageKind.FOLLOW_UP, outcome))
    if pages:
        pages[-1] = replace(pages[-1], sends=True)
    pages.append(Page(len(pages) + 1, PageKind.REVIEW))
    return Structure(questionnaire_id, tuple(pages), tuple(ratings), background, outcome)


# A frozen questionnaire never changes (surveys.questionnaires): its pages are built once per
# process. One still being edited is read afresh on every request.
_structures: dict[tuple[int, datetime.datetime, bool], Structure] = {}


def questionnaire_structure(questionnaire, *, follow_up: bool = False) -> Structure:
    """The pages of a questionnaire, cached per process once it is frozen; with the page of
    follow-up items when `follow_up` (see round_structure)."""
    if questionnaire.frozen_at is None:
        return _build_structure(questionnaire.pk, follow_up)
    key = (questionnaire.pk, questionnaire.frozen_at, follow_up)
    structure = _structures.get(key)
    if structure is None:
        structure = _structures[key] = _build_structure(questionnaire.pk, follow_up)
    return structure


def round_structure(round_: Round) -> Structure:
    """The pages a round's respondents see: the questionnaire's, with its follow-up items
    only in a follow-up round (Round.asks_follow_up_items)."""
    return questionnaire_structure(round_.questionnaire,
                                   follow_up=round_.asks_follow_up_items)


# Finding an invitation -----------------------------------------------------------------------

class Problem(StrEnum):
    """Why a typed code or an opened link does not lead to a survey."""

    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    THROTTLED = "throttled"


class Status(StrEnum):
    """Where an invitation stands, as the respondent pages tell it."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    SUBMITTED = "submitted"
    OPTED_OUT = "opted_out"


# Every respondent request starts by loading the invitation with its round, questionnaire and
# response. Built by the ORM (select_related + first()), compiling that query cost more Python
# time than the rest of a page POST together. The statement never changes, so its text is made
# once per process from the models' own column lists, and each row is turned into model
# instances as the ORM itself does (the backend's value converters, then Model.from_db): one
# plain SELECT per request, every column of the four tables loaded, nothing deferred.
_LOADED = ((Invitation, "i"), (Round, "r"), (Questionnaire, "q"), (Response, "s"))


@dataclass(frozen=True)
class _LeanQuery:
    sql: str
    # Per model: attribute names and, per column, the converters the ORM would apply.
    models: tuple[tuple[type, tuple[str, ...], tuple[tuple, ...]], ...]


_lean_queries: dict[tuple[str, str], _LeanQuery] = {}


def _lean_query(connection, column: str) -> _LeanQuery:
    key = (connection.alias, column)
    query = _lean_queries.get(key)
    if query is None:
        quote = connection.ops.quote_name
        names = {model: quote(model._meta.db_table) for model, _alias in _LOADED}
        columns = ", ".join(f"{alias}.{quote(f.column)}" for model, alias in _LOADED
                            for f in model._meta.concrete_fields)
        # Only quoted identifiers from the models are put in; the value is a parameter.
        sql = (
            f"SELECT {columns} FROM {names[Invitation]} i"  # noqa: S608
            f" INNER JOIN {names[Round]} r ON r.{quote('id')} = i.{quote('round_id')}"
            f" INNER JOIN {names[Questionnaire]} q"
            f" ON q.{quote('id')} = r.{quote('questionnaire_id')}"
            f" LEFT OUTER JOIN {names[Response]} s"
            f" ON s.{quote('invitation_id')} = i.{quote('id')}"
            f" WHERE i.{quote(column)} = %s"
        )
        models = []
        for model, alias in _LOADED:
            fields = model._meta.concrete_fields
            converters = tuple(
                tuple(connection.ops.get_db_converters(f.get_col(alias))
                      + f.get_db_converters(connection))
                for f in fields)
            models.append((model, tuple(f.attname for f in fields), converters))
        query = _lean_queries[key] = _LeanQuery(sql, tuple(models))
    return query


def _load_where(column: str, value) -> Invitation | None:
    """The invitation whose `column` equals `value`, with round, questionnaire and response."""
    connection = connections[Invitation.objects.db]
    query = _lean_query(connection, column)
    with prepared_cursor(connection) as cursor:
        cursor.execute(query.sql, [value])
        rows = cursor.fetchall()  # one row at most; fetching all ends the statement
    row = rows[0] if rows else None
    if row is None:
        return None
    instances, start = [], 0
    for model, names, converters in query.models:
        values = list(row[start:start + len(names)])
        start += len(names)
        if values[0] is None:  # no response yet (LEFT JOIN)
            instances.append(None)
            continue
        for index, column_converters in enumerate(converters):
            for converter in column_converters:
                values[index] = converter(values[index], None, connection)
        instances.append(model.from_db(connection.alias, names, values))
    invitation, round_, questionnaire, response = instances
    round_.questionnaire = questionnaire
    invitation.round = round_
    if response is not None:
        response.round = round_
        invitation.response = response  # caches both directions
    else:
        # As select_related does: "no response" is known, and invitation.response raises
        # RelatedObjectDoesNotExist (an AttributeError) without a query.
        Invitation.response.related.set_cached_value(invitation, None)
    return invitation


def load_invitation(invitation_id: int) -> Invitation | None:
    """An invitation with its round, questionnaire and response in one query."""
    return _load_where("id", invitation_id)


def find_by_token(token: str) -> Invitation | None:
    """The invitation a link token belongs to, looked up by its digest."""
    if not token or len(token) > 100:
        return None
    return _load_where("token_digest", tokens.digest(token))


def find_by_code(typed: str) -> tuple[Invitation | None, Problem | None]:
    """The invitation a typed short code belongs to, or why there is none."""
    code = tokens.normalise_short_code(typed)
    if not tokens.is_well_formed_short_code(code):
        return None, Problem.MALFORMED
    invitation = _load_where("short_code_digest", tokens.digest(code))
    return invitation, (None if invitation else Problem.UNKNOWN)


def invitation_status(invitation: Invitation, *, today: datetime.date | None = None) -> Status:
    """Open, or the reason the person cannot answer now (submitted first: they may see their
    profile whatever happened to the round since)."""
    today = today or timezone.localdate()
    round_ = invitation.round
    if invitation.submitted_at is not None:
        return Status.SUBMITTED
    if invitation.opted_out_at is not None:
        return Status.OPTED_OUT
    if round_.closed_at is not None or today > round_.closes_on:
        return Status.CLOSED
    if round_.published_at is None or today < round_.opens_on:
        return Status.NOT_YET_OPEN
    return Status.OPEN


def in_progress_response(invitation: Invitation) -> Response | None:
    """The invitation's response if one is started and not yet submitted."""
    response = getattr(invitation, "response", None) if invitation.pk else None
    if response is not None and response.submitted_at is None:
        return response
    return None


# Wrong codes from one address -------------------------------------------------------------------

def is_throttled(ip_address: str | None, *, now: datetime.datetime | None = None) -> bool:
    """True when the address has typed too many wrong codes lately (one COUNT query)."""
    now = now or timezone.now()
    # Every link opened asks this: the ORM's statement, written once per process.
    connection = connections[FailedCodeAttempt.objects.db]
    known = ip_address is not None  # as the ORM does: "= %s", or IS NULL for no address
    sql = _statement(connection, ("throttled", known), lambda quote: (
        f"SELECT COUNT(*) FROM {quote(FailedCodeAttempt._meta.db_table)}"  # noqa: S608
        f" WHERE {quote('ip_address')} {'= %s' if known else 'IS NULL'}"
        f" AND {quote('at')} > %s"))
    fields = FailedCodeAttempt._meta
    since = fields.get_field("at").get_db_prep_value(now - FAILED_CODE_WINDOW, connection)
    params = [since]
    if known:
        params.insert(0, fields.get_field("ip_address").get_db_prep_value(ip_address,
                                                                          connection))
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        recent = cursor.fetchone()[0]
    return recent >= FAILED_CODE_LIMIT


def record_failed_attempt(ip_address: str | None, *, what: str) -> None:
    """Count a wrong code or link from an address; log (without the code) when it reaches the
    limit. `what` says "code" or "link" for the log line."""
    now = timezone.now()
    FailedCodeAttempt.objects.create(ip_address=ip_address, at=now)
    recent = FailedCodeAttempt.objects.filter(
        ip_address=ip_address, at__gt=now - FAILED_CODE_WINDOW
    ).count()
    if recent == FAILED_CODE_LIMIT:
        logger.warning(
            "Too many wrong survey codes from one address: further tries refused for a while",
            extra={"ip_address": ip_address, "attempts": recent, "kind": what},
        )
        # Old attempts are of no use: tidy up now and then, when an address is slowed down.
        FailedCodeAttempt.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()


def log_refused_attempt(ip_address: str | None) -> None:
    """Log a try refused because the address is slowed down (the code is not logged)."""
    logger.warning("Survey code refused: too many wrong codes from this address",
                   extra={"ip_address": ip_address})


# Starting, saving, submitting -------------------------------------------------------------------

@dataclass(frozen=True)
class _GroupFacts:
    """What a new response copies from the person's active employment, and the pseudonym."""

    pseudonym: object
    occupation_id: int | None
    staff_category: str
    target_group_id: int | None


def _group_facts(invitation: Invitation) -> _GroupFacts:
    """The person's pseudonym and, of their active employments, the one in the municipality
    they were invited in (else the one with the highest municipality id, then the oldest):
    its occupation, staff category and lowest target group id. One statement, written once per
    process from the models' identifiers (the ORM's version, with its prefetch and the
    person's row, cost three statements and a fifth of the first page's CPU time)."""
    connection = connections[Employment.objects.db]

    def build(quote):
        read, source = _group_facts_sql(quote)
        return (f"SELECT {read['pseudonym']}, {read['occupation_id']},"
                f" {read['staff_category']}, {read['target_group_id']}{source}")

    sql = _statement(connection, ("group-facts",), build)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [invitation.person_id, invitation.municipality_id])
        pseudonym, occupation_id, staff_category, target_group_id = cursor.fetchone()
    pseudonym = _converted(connection, Person._meta.get_field("pseudonym"), pseudonym, "p")
    return _GroupFacts(pseudonym, occupation_id, staff_category or "", target_group_id)


def _group_facts_sql(quote) -> tuple[dict[str, str], str]:
    """What _group_facts reads, for the statements that read it: an SQL expression for each
    fact (pseudonym, occupation_id, staff_category, target_group_id) and the FROM … LIMIT 1
    they are read from (parameters: the person's id, the municipality invited in)."""
    person, employment = quote(Person._meta.db_table), quote(Employment._meta.db_table)
    through = Employment.target_groups.through._meta
    groups = quote(through.db_table)
    group_column = quote(through.get_field("targetgroup").column)
    owner_column = quote(through.get_field("employment").column)
    read = {
        "pseudonym": f"p.{quote('pseudonym')}",
        "occupation_id": f"e.{quote('occupation_id')}",
        "staff_category": f"e.{quote('staff_category')}",
        "target_group_id": f"(SELECT MIN(t.{group_column}) FROM {groups} t"  # noqa: S608
                           f" WHERE t.{owner_column} = e.{quote('id')})",
    }
    source = (f" FROM {person} p LEFT OUTER JOIN {employment} e"
              f" ON e.{quote('person_id')} = p.{quote('id')} AND e.{quote('is_active')}"
              f" WHERE p.{quote('id')} = %s"
              f" ORDER BY CASE WHEN e.{quote('municipality_id')} = %s THEN 0 ELSE 1 END,"
              f" e.{quote('municipality_id')} DESC, e.{quote('id')} LIMIT 1")
    return read, source


def _converted(connection, field_, value, alias: str):
    """A value read by hand, converted as the ORM converts the field's column."""
    for converter in (connection.ops.get_db_converters(field_.get_col(alias))
                      + field_.get_db_converters(connection)):
        value = converter(value, None, connection)
    return value


def start_response(invitation: Invitation) -> Response:
    """The invitation's response, created on first start with the group attributes copied from
    the invitation and the person's active employment. Safe when two first requests race."""
    existing = getattr(invitation, "response", None)
    if existing is not None:
        return existing
    round_ = invitation.round
    connection = connections[Response.objects.db]
    response = Response(
        round=round_, invitation=invitation, municipality_id=invitation.municipality_id,
        unit_id=invitation.unit_id, current_page=1,
    )
    if connection.vendor == "postgresql":
        started = _start_in_one_statement(connection, invitation, response)
    else:
        started = _start_in_a_transaction(invitation, response)
    if not started:
        # Another request of the same person created it first: use that one.
        response = Response.objects.get(invitation=invitation)
    invitation.response = response
    return response


def _start_in_a_transaction(invitation: Invitation, response: Response) -> bool:
    facts = _group_facts(invitation)
    response.respondent_key = facts.pseudonym if invitation.round.is_pseudonymous else None
    response.occupation_id, response.target_group_id = facts.occupation_id, facts.target_group_id
    response.staff_category = facts.staff_category
    try:
        with transaction.atomic(using=Response.objects.db):
            response.save()
    except IntegrityError:
        return False
    return True


# The response's columns that _start_in_one_statement takes from the person's row and active
# employment (as _group_facts reads them) instead of from the new Response instance.
_FROM_EMPLOYMENT = ("respondent_key", "occupation_id", "target_group_id", "staff_category")


def _start_in_one_statement(connection, invitation: Invitation, response: Response) -> bool:
    """PostgreSQL: read the person's pseudonym and employment and insert the response in one
    statement (INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING) instead of four round trips
    (the reading, BEGIN, INSERT, COMMIT). The other columns are the instance's own, prepared
    as the ORM's insert prepares them (auto_now_add included). False when another request
    inserted the invitation's response first."""
    pseudonymous = invitation.round.is_pseudonymous
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]

    def build(quote):
        read, source = _group_facts_sql(quote)
        from_employment = {
            "respondent_key": read["pseudonym"] if pseudonymous else "NULL",
            "occupation_id": read["occupation_id"],
            "target_group_id": read["target_group_id"],
            "staff_category": f"COALESCE({read['staff_category']}, '')",
        }
        values = [from_employment.get(f.attname, "%s") for f in fields]
        returned = ", ".join(quote(Response._meta.get_field(name).column)
                             for name in ("id", *_FROM_EMPLOYMENT))
        return (f"INSERT INTO {quote(Response._meta.db_table)}"
                f" ({', '.join(quote(f.column) for f in fields)})"
                f" SELECT {', '.join(values)}{source}"
                f" ON CONFLICT DO NOTHING RETURNING {returned}")

    sql = _statement(connection, ("start", pseudonymous), build)
    params = [f.get_db_prep_save(f.pre_save(response, True), connection)
              for f in fields if f.attname not in _FROM_EMPLOYMENT]
    params += [invitation.person_id, invitation.municipality_id]
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    response.pk = row[0]
    for name, value in zip(_FROM_EMPLOYMENT, row[1:], strict=True):
        field_ = Response._meta.get_field(name)
        setattr(response, field_.attname, _converted(connection, field_, value, "s"))
    response._state.adding, response._state.db = False, connection.alias
    return True


# The page saves and reads below run tens of times a second in a campaign. Their statements are
# fixed apart from the number of items, so they are written once per process (per connection
# and shape) with the models' quoted identifiers and run on a cursor that has PostgreSQL
# prepare them once per connection (lib/prepared); the values pass as
# parameters, prepared by the fields as the ORM would. Same SQL as the ORM's, without the
# per-request compile (about a third of a page POST's Python time).
_statements: dict[tuple, str] = {}


def _statement(connection, key: tuple, build) -> str:
    sql = _statements.get((connection.alias, *key))
    if sql is None:
        sql = _statements[(connection.alias, *key)] = build(connection.ops.quote_name)
    return sql


def _execute(connection, sql: str, params) -> int:
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _answer_table(quote) -> str:
    return quote(Answer._meta.db_table)


def saved_answers(response: Response, item_ids: list[int] | None = None) -> dict[int, int]:
    """item id -> value of the response's answers (of the given items). When this request's
    page save already read these items (save_page's `then_read`), that reading is used."""
    if item_ids is None:
        answers = Answer.objects.filter(response=response)
        return dict(answers.values_list("item_id", "value"))
    if not item_ids:
        return {}
    read_ahead = getattr(response, "_answers_read_ahead", None)
    if read_ahead is not None and read_ahead[0].issuperset(item_ids):
        wanted = set(item_ids)
        return {item_id: value for item_id, value in read_ahead[1].items() if item_id in wanted}
    connection = connections[Answer.objects.db]
    sql = _statement(connection, ("answers", len(item_ids)), lambda quote: (
        f"SELECT {quote('item_id')}, {quote('value')} FROM {_answer_table(quote)}"  # noqa: S608
        f" WHERE {quote('response_id')} = %s"
        f" AND {quote('item_id')} IN ({', '.join(['%s'] * len(item_ids))})"))
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [response.pk, *item_ids])
        return dict(cursor.fetchall())


def unanswered_count(response: Response, structure: Structure) -> int:
    """How many rating items the person has not answered yet."""
    return len(structure.rating_items) - len(saved_answers(response, structure.rating_item_ids))


def save_page(response: Response, page: Page, *, ratings: dict[int, int | None],
              background: dict[str, int | None], go_to: int,
              then_read: list[int] | None = None) -> bool:
    """Store one page's answers as they are now and where the person goes next; False (and
    nothing stored) when the response has been submitted meanwhile, from another device.

    The response row is updated first: that claims it (a row lock on PostgreSQL, the write lock
    on SQLite) so a submit cannot slip in between. Ratings are then upserted in one statement
    and ratings the person left empty are removed; background answers go to the response's own
    columns.

    `then_read`: items whose answers the request shows next (the next page's, or every rating
    for the count of unanswered questions and the profile). On PostgreSQL the same statement
    reads them (one round trip fewer); saved_answers then answers from that reading. The
    statement's snapshot is from before the save, so items on the page saved are taken from
    the values just saved instead: the reading is the answers as they are after the save."""
    response._answers_read_ahead = None  # a reading from an earlier save is stale now
    now = timezone.now()
    chosen = [(item_id, value) for item_id, value in ratings.items() if value is not None]
    cleared = [item_id for item_id, value in ratings.items() if value is None]
    update = {"current_page": go_to, "updated_at": now}
    update.update(background)
    connection = connections[Response.objects.db]
    fields = [Response._meta.get_field(name) for name in update]  # only real fields
    claim = _statement(connection, ("claim", *update), lambda quote: (
        f"UPDATE {quote(Response._meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote('id')} = %s AND {quote('submitted_at')} IS NULL"))
    claim_params = [f.get_db_prep_save(value, connection)
                    for f, value in zip(fields, update.values(), strict=True)]
    if connection.vendor == "postgresql":
        wanted = frozenset(then_read or ())
        read = [item_id for item_id in then_read or () if item_id not in ratings]
        saved, read_ahead = _save_page_in_one_statement(connection, claim, claim_params,
                                                        response.pk, chosen, cleared, read)
        if saved and wanted:
            read_ahead.update((item_id, value) for item_id, value in chosen
                              if item_id in wanted)
            response._answers_read_ahead = (wanted, read_ahead)
    else:
        saved = _save_page_in_a_transaction(connection, claim, claim_params, response.pk,
                                            chosen, cleared)
    if saved:
        for name, value in update.items():
            setattr(response, name, value)
    return saved


def _save_page_in_one_statement(connection, claim: str, claim_params: list, response_id: int,
                                chosen: list[tuple[int, int]], cleared: list[int],
                                read: list[int]) -> tuple[bool, dict[int, int]]:
    """PostgreSQL: claim, upsert and delete as data-modifying CTEs of one statement, so one
    round trip instead of five (BEGIN, UPDATE, INSERT, DELETE, COMMIT). The upsert and the
    delete act only through the claimed row: nothing is written once the response is sent.
    With `read`, the statement also returns those items' saved answers: (saved, answers)."""
    key = ("save-pg", claim, len(chosen), len(cleared), len(read))

    def build(quote):
        answers, response_id_, item_id, value = (
            _answer_table(quote), quote("response_id"), quote("item_id"), quote("value"))
        parts = [f"WITH claimed AS ({claim} RETURNING {quote('id')})"]
        if chosen:
            parts.append(
                f", upserted AS (INSERT INTO {answers} ({response_id_}, {item_id}, {value})"  # noqa: S608
                f" SELECT claimed.{quote('id')}, v.item_id, v.value FROM claimed CROSS JOIN"
                f" (VALUES {', '.join(['(%s, %s)'] * len(chosen))}) AS v (item_id, value) "
                + connection.ops.on_conflict_suffix_sql(
                    [], OnConflict.UPDATE, ["value"], ["response_id", "item_id"]) + ")")
        if cleared:
            parts.append(
                f", removed AS (DELETE FROM {answers}"  # noqa: S608
                f" WHERE {response_id_} IN (SELECT {quote('id')} FROM claimed)"
                f" AND {item_id} IN ({', '.join(['%s'] * len(cleared))}))")
        if read:
            # One row at least (the count), one per saved answer of the items read.
            parts.append(
                f" SELECT (SELECT COUNT(*) FROM claimed), a.{item_id}, a.{value}"  # noqa: S608
                f" FROM (VALUES (1)) AS one (x) LEFT JOIN {answers} a"
                f" ON a.{response_id_} = %s"
                f" AND a.{item_id} IN ({', '.join(['%s'] * len(read))})")
        else:
            parts.append(" SELECT COUNT(*) FROM claimed")
        return "".join(parts)

    sql = _statement(connection, key, build)
    params = [*claim_params, response_id, *(v for pair in chosen for v in pair), *cleared]
    if read:
        params += [response_id, *read]
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    answers = {row[1]: row[2] for row in rows if len(row) > 1 and row[1] is not None}
    return bool(rows[0][0]), answers


def _save_page_in_a_transaction(connection, claim: str, claim_params: list, response_id: int,
                                chosen: list[tuple[int, int]], cleared: list[int]) -> bool:
    """Other databases (SQLite): the same three statements in one transaction."""
    with transaction.atomic(using=connection.alias):
        if not _execute(connection, claim, [*claim_params, response_id]):
            return False
        if chosen:
            upsert = _statement(connection, ("upsert", len(chosen)), lambda quote: (
                f"INSERT INTO {_answer_table(quote)}"  # noqa: S608
                f" ({quote('response_id')}, {quote('item_id')}, {quote('value')}) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(chosen)) + " "
                + connection.ops.on_conflict_suffix_sql(
                    [], OnConflict.UPDATE, ["value"], ["response_id", "item_id"])))
            _execute(connection, upsert,
                     [v for item_id, value in chosen for v in (response_id, item_id, value)])
        if cleared:
            remove = _statement(connection, ("remove", len(cleared)), lambda quote: (
                f"DELETE FROM {_answer_table(quote)} WHERE {quote('response_id')} = %s"  # noqa: S608
                f" AND {quote('item_id')} IN ({', '.join(['%s'] * len(cleared))})"))
            _execute(connection, remove, [response_id, *cleared])
    return True


def move_to_page(response: Response, number: int) -> None:
    """Remember the page the person is on (for a resume on another device)."""
    if response.current_page != number:
        Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            current_page=number)
        response.current_page = number


def submit_response(invitation: Invitation, response: Response) -> bool:
    """Submit the response once: True for the request that submitted it, False when it was
    already submitted (a double tap, a reload). In an anonymous round the link between the
    response and the invitation is cut in the same transaction."""
    now = timezone.now()
    changes = {"submitted_at": now, "updated_at": now}
    if not invitation.round.is_pseudonymous:
        changes["invitation"] = None
    connection = connections[Response.objects.db]
    if connection.vendor == "postgresql":
        claimed = _submit_in_one_statement(connection, invitation, response, changes, now)
    else:
        with transaction.atomic():
            claimed = Response.objects.filter(
                pk=response.pk, submitted_at__isnull=True
            ).update(**changes)
            if claimed:
                Invitation.objects.filter(pk=invitation.pk, submitted_at__isnull=True).update(
                    submitted_at=now)
    if claimed:
        response.submitted_at = now
        invitation.submitted_at = invitation.submitted_at or now
        if "invitation" in changes:
            response.invitation = None
    return bool(claimed)


def _submit_in_one_statement(connection, invitation, response, changes: dict, now) -> int:
    """PostgreSQL: claim the response and mark the invitation as data-modifying CTEs of one
    statement (atomic on its own: one round trip instead of BEGIN, two UPDATEs and COMMIT).
    The invitation is marked only through the claimed row."""
    fields = [Response._meta.get_field(name) for name in changes]

    def build(quote):
        return (
            f"WITH claimed AS (UPDATE {quote(Response._meta.db_table)} SET "  # noqa: S608
            + ", ".join(f"{quote(f.column)} = %s" for f in fields)
            + f" WHERE {quote('id')} = %s AND {quote('submitted_at')} IS NULL"  # noqa: S608
            f" RETURNING {quote('id')}),"
            f" marked AS (UPDATE {quote(Invitation._meta.db_table)}"
            f" SET {quote('submitted_at')} = %s WHERE {quote('id')} = %s"
            f" AND {quote('submitted_at')} IS NULL AND EXISTS (SELECT 1 FROM claimed))"
            " SELECT COUNT(*) FROM claimed")

    sql = _statement(connection, ("submit-pg", *changes), build)
    params = [f.get_db_prep_save(value, connection)
              for f, value in zip(fields, changes.values(), strict=True)]
    submitted_at = Invitation._meta.get_field("submitted_at").get_db_prep_save(now, connection)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [*params, response.pk, submitted_at, invitation.pk])
        return cursor.fetchone()[0]


# Choices on the background page -------------------------------------------------------------------

def _rows(sql_key: tuple, build, params) -> list[tuple]:
    connection = connections[Unit.objects.db]
    sql = _statement(connection, sql_key, build)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def background_choices(invitation: Invitation) -> tuple[list[tuple[int, str]],
                                                       list[tuple[int, str]]]:
    """(units, occupations) for the background page: the active units of the municipality the
    person was invited in and every occupation in the active language, as one statement (the
    first page every respondent opens and posts needs both)."""
    english = (get_language() or "sv").startswith("en")
    rows = _rows(("background-choices",), lambda quote: (
        f"SELECT * FROM (SELECT 1 AS kind, {quote('id')}, {quote('name')} AS title,"  # noqa: S608
        f" NULL AS title_en FROM {quote(Unit._meta.db_table)}"
        f" WHERE {quote('municipality_id')} = %s AND {quote('is_active')}"
        f" UNION ALL SELECT 2, {quote('id')}, {quote('title_sv')}, {quote('title_en')}"
        f" FROM {quote(Occupation._meta.db_table)}) AS choices"
        f" ORDER BY kind, title, {quote('id')}"), [invitation.municipality_id])
    units = [(pk, title) for kind, pk, title, _en in rows if kind == 1]
    occupations = [(pk, (title_en if english and title_en else title)) for kind, pk, title,
                   title_en in rows if kind == 2]
    return units, occupations


def item_choices(item: Item) -> list[tuple[int, str]]:
    """A background item's fixed choices in the active language."""
    english = (get_language() or "sv").startswith("en")
    choices = []
    for choice in item.choices or []:
        label = choice.get("en") if english and choice.get("en") else choice.get("sv", "")
        choices.append((int(choice["value"]), label))
    return choices


# The person's own profile ------------------------------------------------------------------------

# Average rating (1–5, "don't know" left out) -> a sentence the person understands.
PROFILE_WORDS = [
    (4.5, _("You feel very confident and can help others")),
    (3.5, _("You feel confident")),
    (2.5, _("You manage most things on your own")),
    (1.5, _("You manage with help – you want to learn more")),
    (0.0, _("This is new to you – here you can learn the most")),
]


@dataclass
class AreaProfile:
    area: CompetenceArea
    average: float | None
    rated: int
    dont_know: int
    is_lowest: bool = False

    @property
    def words(self) -> str:
        if self.average is None:
            return str(_("You did not rate anything here"))
        for floor, words in PROFILE_WORDS:
            if self.average >= floor:
                return str(words)
        return str(PROFILE_WORDS[-1][1])

    @property
    def step(self) -> int | None:
        """The scale step nearest the average, for a small bar."""
        return None if self.average is None else round(self.average)


def profile_for(response: Response, structure: Structure) -> list[AreaProfile]:
    """The person's average rating per competence area; the areas with the lowest average are
    marked (when the areas differ at all). The answers are read as they are (one plain
    statement) and each is placed in its area through the questionnaire's structure."""
    area_of = {item.pk: item.competence.area_id for item in structure.rating_items}
    sums: dict[int, list[int]] = {}
    for item_id, value in saved_answers(response, list(area_of)).items():
        totals = sums.setdefault(area_of[item_id], [0, 0, 0])
        if value == scale.DONT_KNOW:
            totals[2] += 1
        else:
            totals[0] += value
            totals[1] += 1
    profiles = []
    for area in structure.areas:
        total, rated, dont_know = sums.get(area.pk, (0, 0, 0))
        profiles.append(AreaProfile(area, (total / rated) if rated else None, rated, dont_know))
    averages = [p.average for p in profiles if p.average is not None]
    if averages and min(averages) < max(averages):
        lowest = min(averages)
        for profile in profiles:
            profile.is_lowest = profile.average is not None and profile.average == lowest
    return profiles


def submitted_response(response_id: int, round_id: int | None = None) -> Response | None:
    """A submitted response by id (the respondent's own, from their signed cookie)."""
    responses = Response.objects.select_related("round__questionnaire").filter(
        pk=response_id, submitted_at__isnull=False)
    if round_id is not None:
        responses = responses.filter(round_id=round_id)
    return responses.first()

