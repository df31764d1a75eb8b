"""Group formation (issue 5): propose training groups for a course from the baseline
self-assessment, let the coordinator adjust them, enrol everyone when they confirm.

The method, for readers who do not read code, is in docs/group-formation.md. In short:

1. Population: people with an active employment in the municipality, narrowed to units (and
   the units below them), occupations and target groups when chosen; people already enrolled
   or waiting on a session of the course are left out (and counted).
2. Score: each person's mean self-rating in the chosen pseudonymous baseline round over the
   items on the course's competences (all rating items when the course names no competence or
   the questionnaire asks about none of them); "don't know" (0) is left out, as in the
   results. Computed in the database and held in memory only while the groups are formed:
   never stored, never shown.
3. Bands: "extra support" is the lowest share of those with a score (rounded up; whoever has
   the same score as the last one in is in too) or everyone at or below a score limit;
   "regular" is the rest; "no baseline" is everyone without a score. No baseline goes into
   regular groups unless the coordinator chooses small groups for them.
4. Groups: extra support into small groups, everyone else into regular groups, separately,
   in as few groups as the size allows (ceil(n / size)). A unit's people form one chunk (a
   unit larger than a group is cut into equal chunks); chunks are placed largest first, each
   in the group with the most room, and a chunk is split only when no group has room for it
   whole. People without a unit are chunks of one.
5. Sessions: each group, small groups first and then larger before smaller, goes to the first
   session of the course that has not started, is planned, is for the municipality or the
   whole programme (the municipality's own first, then by first meeting), has the group's
   level (small groups only in small-group sessions, regular groups only in regular ones),
   has free places for the whole group, is not already taken by another group of the
   proposal, and where no member is booked at the same time (services.booked_at_the_same_time,
   the rule enrolment applies). A group that finds none "needs a session".

Who may: the programme office and coordinators (their municipality), and only as far as the
lowest-scores rule of surveys.access lets them (the same personal data: who scored lowest),
only from pseudonymous rounds they may see results of.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts.access import coordinated_municipality_ids, is_programme_admin
from modig.organisation.models import Employment, Municipality, Person, Unit
from modig.surveys import access as survey_access
from modig.surveys.access import MUNICIPALITY, Place
from modig.surveys.models import Answer, Item, Round
from modig.surveys.round_access import rounds_visible_to
from modig.training import services
from modig.training.models import (
    Course,
    Enrolment,
    GroupProposal,
    Meeting,
    ProposalGroup,
    ProposalMember,
    Session,
)

Band = ProposalMember.Band
Level = Session.GroupLevel
NEW_SMALL_GROUP, NEW_REGULAR_GROUP = "new-small", "new-regular"

DEFAULT_SHARE = 20
DEFAULT_SMALL_SIZE = 6
DEFAULT_REGULAR_SIZE = 15


# Who may --------------------------------------------------------------------------------------

def can_form_groups(user) -> bool:
    """The programme office and coordinators, within the lowest-scores rule of surveys.access."""
    return survey_access.can_list_lowest_scores(user) and (
        is_programme_admin(user) or bool(coordinated_municipality_ids(user)))


def municipalities_for(user) -> QuerySet[Municipality]:
    """Municipalities the user may form groups in."""
    municipalities = Municipality.objects.filter(programmes__isnull=False).distinct()
    if is_programme_admin(user):
        return municipalities.order_by("name")
    return municipalities.filter(pk__in=coordinated_municipality_ids(user)).order_by("name")


def baseline_rounds_for(user) -> QuerySet[Round]:
    """Published pseudonymous baseline rounds whose results the user may see."""
    if not can_form_groups(user):
        return Round.objects.none()
    return (rounds_visible_to(user).filter(published_at__isnull=False,
                                           kind=Round.Kind.BASELINE,
                                           anonymity=Round.Anonymity.PSEUDONYMOUS)
            .order_by("-opens_on", "name"))


def may_use_round(user, round_: Round, municipality: Municipality) -> bool:
    """Whether the user may read the round's scores for the municipality (surveys.access)."""
    try:
        survey_access.round_for_results(user, round_.pk)
    except (Http404, PermissionDenied):
        return False
    return (round_.is_pseudonymous and survey_access.can_list_lowest_scores(user)
            and survey_access.may_open(user, Place(MUNICIPALITY, municipality)))


def proposals_visible_to(user) -> QuerySet[GroupProposal]:
    """Proposals of the user's municipalities (every proposal for the programme office)."""
    if not can_form_groups(user):
        return GroupProposal.objects.none()
    if is_programme_admin(user):
        return GroupProposal.objects.all()
    return GroupProposal.objects.filter(municipality_id__in=coordinated_municipality_ids(user))


def proposal_for_user(user, pk: int) -> GroupProposal:
    """A proposal by id: 403 for roles that do not form groups, 404 outside one's scope."""
    if not can_form_groups(user):
        raise PermissionDenied
    proposal = (proposals_visible_to(user).select_related("course", "municipality",
                                                          "survey_round", "created_by")
                .filter(pk=pk).first())
    if proposal is None:
        raise Http404
    return proposal


# Forming the proposal -------------------------------------------------------------------------

@dataclass
class Candidate:
    """A person while groups are formed. `mean` lives only in memory."""

    person_id: int
    sort_name: tuple
    pseudonym: object
    unit_id: int | None = None
    unit_name: str = ""
    mean: float | None = None
    band: str = Band.NO_BASELINE


def _check(course: Course, survey_round: Round, municipality: Municipality, units, *,
           support_rule, support_share, support_threshold, small_group_size,
           regular_group_size) -> None:
    errors = {}
    if not survey_round.is_pseudonymous:
        errors["survey_round"] = ValidationError(
            _("This round is anonymous, so no one can see who scored lowest. Choose a "
              "pseudonymous baseline round."), code="anonymous_round")
    elif survey_round.programme_id != course.programme_id:
        errors["survey_round"] = ValidationError(
            _("Choose a round of the course's programme."), code="other_programme")
    if course.municipality_id and course.municipality_id != municipality.pk:
        errors["municipality"] = ValidationError(
            _("This is a local course of %(municipality)s. Choose that municipality.")
            % {"municipality": course.municipality}, code="local_course")
    if any(unit.municipality_id != municipality.pk for unit in units):
        errors["units"] = ValidationError(
            _("Choose units in %(municipality)s only.") % {"municipality": municipality},
            code="unit_elsewhere")
    if support_rule == GroupProposal.SupportRule.SHARE:
        if support_share is None or not 0 <= support_share <= 100:
            errors["support_share"] = ValidationError(
                _("Give a share from 0 to 100 per cent."), code="share")
    elif support_rule == GroupProposal.SupportRule.THRESHOLD:
        if support_threshold is None or not 1 <= support_threshold <= 5:
            errors["support_threshold"] = ValidationError(
                _("Give a score from 1 to 5, for example 2.5."), code="threshold")
    else:
        errors["support_rule"] = ValidationError(
            _("Choose how to pick those who get extra support."), code="rule")
    if not small_group_size or small_group_size < 2:
        errors["small_group_size"] = ValidationError(
            _("A small group needs at least 2 people."), code="size")
    if not regular_group_size or regular_group_size < 2:
        errors["regular_group_size"] = ValidationError(
            _("A regular group needs at least 2 people."), code="size")
    elif small_group_size and small_group_size > regular_group_size:
        errors["small_group_size"] = ValidationError(
            _("Small groups cannot be larger than regular groups."), code="size")
    if errors:
        raise ValidationError(errors)


def _population(proposal: GroupProposal, units: list[Unit]):
    """The people of the proposal's population not yet on the course, each with the unit they
    are grouped by (the most specific of their units there): (candidates, their queryset, how
    many were on the course already)."""
    employments = Employment.objects.active().filter(municipality=proposal.municipality)
    subtree = Unit.objects.in_subtree_of(units).values("pk") if units else None
    if subtree is not None:
        employments = employments.filter(units__in=subtree)
    occupations = list(proposal.occupations.values_list("pk", flat=True))
    if occupations:
        employments = employments.filter(occupation_id__in=occupations)
    target_groups = list(proposal.target_groups.values_list("pk", flat=True))
    if target_groups:
        employments = employments.filter(target_groups__in=target_groups)
    people = Person.objects.filter(pk__in=employments.values("person_id"))
    on_course = Enrolment.objects.active().filter(session__course=proposal.course)
    already = people.filter(pk__in=on_course.values("person_id")).count()
    people = people.exclude(pk__in=on_course.values("person_id"))
    candidates = {
        pk: Candidate(person_id=pk, sort_name=(last.casefold(), first.casefold(), pk),
                      pseudonym=pseudonym)
        for pk, last, first, pseudonym in people.values_list(
            "pk", "last_name", "first_name", "pseudonym")
    }
    links = Employment.units.through.objects.filter(employment__in=employments.values("pk"))
    if subtree is not None:
        links = links.filter(unit__in=subtree)
    best = {}
    for person_id, unit_id, name, path in links.values_list(
            "employment__person_id", "unit_id", "unit__name", "unit__path"):
        key = (-path.count("/"), name, unit_id)  # deepest unit first
        if person_id in candidates and (person_id not in best or key < best[person_id][0]):
            best[person_id] = (key, unit_id, name)
    for person_id, (_key, unit_id, name) in best.items():
        candidates[person_id].unit_id, candidates[person_id].unit_name = unit_id, name
    return list(candidates.values()), people, already


def _baseline_means(proposal: GroupProposal, people: QuerySet[Person]) -> tuple[dict, bool]:
    """Mean self-rating per pseudonym over the course's items (or all): ({key: mean}, all?)."""
    round_ = proposal.survey_round
    items = Item.objects.filter(questionnaire_id=round_.questionnaire_id, kind=Item.Kind.RATING)
    on_course = items.filter(competence__in=proposal.course.competences.values("pk"))
    all_items = not on_course.exists()
    chosen = items if all_items else on_course
    rows = (Answer.objects.filter(response__round=round_, response__submitted_at__isnull=False,
                                  response__respondent_key__in=people.values("pseudonym"),
                                  item__in=chosen.values("pk"), value__gt=0)
            .values("response__respondent_key").annotate(mean=Avg("value")).order_by())
    return {row["response__respondent_key"]: round(float(row["mean"]), 6)
            for row in rows}, all_items


def _assign_bands(candidates: list[Candidate], proposal: GroupProposal) -> None:
    scored = sorted((c for c in candidates if c.mean is not None),
                    key=lambda c: (c.mean, c.person_id))
    if proposal.support_rule == GroupProposal.SupportRule.SHARE:
        count = math.ceil(len(scored) * proposal.support_share / 100)
        cutoff = scored[count - 1].mean if count else None
    else:
        cutoff = float(proposal.support_threshold)
    for candidate in candidates:
        if candidate.mean is None:
            candidate.band = Band.NO_BASELINE
        elif cutoff is not None and candidate.mean <= cutoff:
            candidate.band = Band.EXTRA_SUPPORT
        else:
            candidate.band = Band.REGULAR


_BAND_ORDER = {Band.EXTRA_SUPPORT: 0, Band.REGULAR: 1, Band.NO_BASELINE: 2}


def _split_evenly(people: list, parts: int) -> list[list]:
    size, extra = divmod(len(people), parts)
    chunks, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        chunks.append(people[start:end])
        start = end
    return chunks


def form_groups(candidates: list[Candidate], size: int) -> list[list[Candidate]]:
    """Cut people into as few groups of at most `size` as possible, keeping each unit's people
    together where a group has room for them (see the module docstring, step 4)."""
    if not candidates:
        return []
    count = math.ceil(len(candidates) / size)
    by_unit = defaultdict(list)
    for candidate in candidates:
        key = ("unit", candidate.unit_id) if candidate.unit_id else ("person",
                                                                      candidate.person_id)
        by_unit[key].append(candidate)
    chunks = []
    for members in by_unit.values():
        members.sort(key=lambda c: (_BAND_ORDER[c.band], c.mean if c.mean is not None else 9,
                                    c.sort_name))
        chunks += _split_evenly(members, math.ceil(len(members) / size))
    chunks.sort(key=lambda chunk: (-len(chunk), chunk[0].unit_name, chunk[0].unit_id or 0,
                                   chunk[0].sort_name))
    groups = [[] for _ in range(count)]
    for chunk in chunks:
        while chunk:
            target = min(range(count), key=lambda i: (len(groups[i]), i))  # the most room
            room = size - len(groups[target])
            groups[target] += chunk[:room]
            chunk = chunk[room:]
    return [group for group in groups if group]


@transaction.atomic
def propose_groups(course: Course, *, survey_round: Round, municipality: Municipality, by,
                   units=(), occupations=(), target_groups=(),
                   support_rule: str = GroupProposal.SupportRule.SHARE,
                   support_share: int | None = DEFAULT_SHARE, support_threshold=None,
                   small_group_size: int = DEFAULT_SMALL_SIZE,
                   regular_group_size: int = DEFAULT_REGULAR_SIZE,
                   no_baseline_in_small_groups: bool = False) -> GroupProposal:
    """Propose groups for the course from the baseline round and place them in sessions;
    nothing is enrolled (see the module docstring)."""
    units = list(units)
    _check(course, survey_round, municipality, units, support_rule=support_rule,
           support_share=support_share, support_threshold=support_threshold,
           small_group_size=small_group_size, regular_group_size=regular_group_size)
    proposal = GroupProposal.objects.create(
        course=course, municipality=municipality, survey_round=survey_round,
        support_rule=support_rule,
        support_share=support_share if support_rule == GroupProposal.SupportRule.SHARE
        else None,
        support_threshold=support_threshold
        if support_rule == GroupProposal.SupportRule.THRESHOLD else None,
        small_group_size=small_group_size, regular_group_size=regular_group_size,
        no_baseline_in_small_groups=no_baseline_in_small_groups, created_by=_user(by),
    )
    proposal.units.set(units)
    proposal.occupations.set(occupations)
    proposal.target_groups.set(target_groups)
    candidates, people, already = _population(proposal, units)
    means, all_items = _baseline_means(proposal, people)
    for candidate in candidates:
        candidate.mean = means.get(candidate.pseudonym)
    _assign_bands(candidates, proposal)
    small = [c for c in candidates if c.band == Band.EXTRA_SUPPORT or (
        c.band == Band.NO_BASELINE and no_baseline_in_small_groups)]
    small_ids = {c.person_id for c in small}
    regular = [c for c in candidates if c.person_id not in small_ids]
    groups, members = [], []
    for level, people, size in ((Level.SMALL_GROUP, small, small_group_size),
                                (Level.REGULAR, regular, regular_group_size)):
        for chunk in form_groups(people, size):
            group = ProposalGroup(proposal=proposal, number=len(groups) + 1, level=level)
            groups.append(group)
            members += [ProposalMember(proposal=proposal, group=group, person_id=c.person_id,
                                       unit_id=c.unit_id, band=c.band) for c in chunk]
    ProposalGroup.objects.bulk_create(groups)
    ProposalMember.objects.bulk_create(members, batch_size=500)
    proposal.scored_on_all_items = all_items
    proposal.already_enrolled = already
    proposal.save(update_fields=["scored_on_all_items", "already_enrolled"])
    place_groups(proposal)
    return proposal


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


# Sessions -------------------------------------------------------------------------------------

def sessions_for(proposal: GroupProposal, *, level: str | None = None) -> QuerySet[Session]:
    """Sessions a group of the proposal may go to (step 5), with `enrolled_count`, in the
    order they are tried."""
    first = Meeting.objects.filter(session=OuterRef("pk")).order_by("date", "starts_at")
    sessions = (Session.objects.planned().filter(course=proposal.course)
                .filter(Q(municipality__isnull=True) | Q(municipality=proposal.municipality))
                .annotate(first_date=Subquery(first.values("date")[:1]),
                          first_start=Subquery(first.values("starts_at")[:1]),
                          programme_wide=Case(When(municipality__isnull=True, then=Value(1)),
                                              default=Value(0), output_field=IntegerField()))
                .filter(first_date__gte=timezone.localdate())
                .with_counts().order_by("programme_wide", "first_date", "first_start", "pk"))
    if level is not None:
        sessions = sessions.filter(group_level=level)
    return sessions


@transaction.atomic
def place_groups(proposal: GroupProposal) -> int:
    """Place every group without a session in the first session that fits (step 5); returns
    how many were placed."""
    proposal = _lock_open(proposal)
    sessions = list(sessions_for(proposal).prefetch_related("meetings"))
    taken = set(proposal.groups.filter(session__isnull=False)
                .values_list("session_id", flat=True))
    unplaced = list(proposal.groups.filter(session__isnull=True).annotate(
        size=Count("members"),
        small_first=Case(When(level=Level.SMALL_GROUP, then=Value(0)), default=Value(1),
                         output_field=IntegerField()),
    ).order_by("small_first", "-size", "number"))
    people = defaultdict(list)
    for group_id, person_id in ProposalMember.objects.filter(
            group__in=[g.pk for g in unplaced]).values_list("group_id", "person_id"):
        people[group_id].append(person_id)
    placed = []
    for group in unplaced:
        if not group.size:
            continue
        for session in sessions:
            if (session.pk in taken or session.group_level != group.level
                    or session.capacity - session.enrolled_count < group.size):
                continue
            if services.people_booked_at_the_same_time(session, people[group.pk]):
                continue
            group.session = session
            taken.add(session.pk)
            placed.append(group)
            break
    ProposalGroup.objects.bulk_update(placed, ["session"], batch_size=500)
    return len(placed)


# The coordinator's adjustments ----------------------------------------------------------------

def _lock_open(proposal: GroupProposal) -> GroupProposal:
    """The proposal, locked; refused once it is confirmed."""
    proposal = GroupProposal.objects.select_for_update().select_related(
        "course", "municipality").get(pk=proposal.pk)
    if proposal.is_confirmed:
        raise ValidationError(_("These groups are confirmed and can no longer be changed."),
                              code="confirmed")
    return proposal


def _new_group(proposal: GroupProposal, level: str) -> ProposalGroup:
    number = (proposal.groups.aggregate(n=Max("number"))["n"] or 0) + 1
    return ProposalGroup.objects.create(proposal=proposal, number=number, level=level)


@transaction.atomic
def move_member(member: ProposalMember, *, to, by) -> ProposalMember:
    """Move a person to another group of the proposal (`to`: a group, NEW_SMALL_GROUP or
    NEW_REGULAR_GROUP), or take them out of the proposal (`to` None). A group left empty
    is removed."""
    proposal = _lock_open(member.proposal)
    member = ProposalMember.objects.select_for_update().get(pk=member.pk, proposal=proposal)
    if to == NEW_SMALL_GROUP:
        target = _new_group(proposal, Level.SMALL_GROUP)
    elif to == NEW_REGULAR_GROUP:
        target = _new_group(proposal, Level.REGULAR)
    elif to is None:
        target = None
    elif isinstance(to, ProposalGroup) and to.proposal_id == proposal.pk:
        target = to
    else:
        raise ValidationError(_("Choose one of this proposal's groups."), code="other_group")
    old_group_id = member.group_id
    member.group = target
    member.save(update_fields=["group"])
    if old_group_id and not ProposalMember.objects.filter(group_id=old_group_id).exists():
        ProposalGroup.objects.filter(pk=old_group_id).delete()
    return member


@transaction.atomic
def choose_session(group: ProposalGroup, *, session: Session | None, by) -> ProposalGroup:
    """Put a group in a session of the course (one that `sessions_for` offers for its level),
    or take it out of its session (None). Places and clashes are shown, not refused: the
    waiting list and enrolment's own checks still apply when the groups are confirmed."""
    proposal = _lock_open(group.proposal)
    group = ProposalGroup.objects.select_for_update().get(pk=group.pk, proposal=proposal)
    if session is not None and not sessions_for(proposal, level=group.level).filter(
            pk=session.pk).exists():
        raise ValidationError(_("Choose a planned session of this course, for the group's "
                                "level and municipality, that has not started."),
                              code="session")
    group.session = session
    group.save(update_fields=["session"])
    return group


@transaction.atomic
def discard_proposal(proposal: GroupProposal, *, by) -> None:
    """Delete a proposal that has not been confirmed."""
    _lock_open(proposal).delete()


# Confirmation ---------------------------------------------------------------------------------

def _enrol_at_once(session: Session, members: list[ProposalMember], *, by) -> None:
    """Enrol the members put in one (locked) session, in their order, by the rules of
    services.enrol with a few queries for all of them rather than about seven per person:
    refused when the session is cancelled, the person has no active employment (or none in
    the session's municipality), is already enrolled or waiting, or is booked at the same
    time; a place while there are free places, else the waiting list. A person one of these
    checks flags is asked services._refusal itself, which words the reason as enrol does.
    One person is one member of a proposal, so these enrolments cannot clash with each
    other."""
    ids = [member.person_id for member in members]
    flagged = set(ids) if session.is_cancelled else set()
    if not flagged:
        employed = defaultdict(set)
        for person_id, municipality_id in (Employment.objects.active()
                                           .filter(person_id__in=ids)
                                           .values_list("person_id", "municipality_id")):
            employed[person_id].add(municipality_id)
        flagged = {i for i in ids if not employed[i] or (
            session.municipality_id and session.municipality_id not in employed[i])}
        flagged |= set(session.enrolments.active().filter(person_id__in=ids)
                       .values_list("person_id", flat=True))
        flagged |= services.people_booked_at_the_same_time(session, ids)
    enrolled = session.enrolments.enrolled().count()
    user, created = services._user(by), []
    for member in members:
        refusal = (services._refusal(session, member.person)
                   if member.person_id in flagged else None)
        if refusal is not None:
            member.outcome = ProposalMember.Outcome.REFUSED
            member.outcome_message = refusal.messages[0][:300]
            continue
        full = enrolled >= session.capacity
        enrolled += not full
        created.append(Enrolment(
            session=session, person_id=member.person_id, enrolled_by=user,
            source=Enrolment.Source.GROUP_FORMATION,
            status=Enrolment.Status.WAITING if full else Enrolment.Status.ENROLLED))
        member.outcome = (ProposalMember.Outcome.WAITING if full
                          else ProposalMember.Outcome.ENROLLED)
        member.outcome_message = ""
    created = Enrolment.objects.bulk_create(created, batch_size=500)
    if created:
        # One queued job per session, not per person (each enqueue is a write).
        services._after_commit("send_enrolment_confirmations", [e.pk for e in created])


@transaction.atomic
def confirm_proposal(proposal: GroupProposal, *, by) -> bool:
    """Enrol every member of every group in the group's session (the rules of
    services.enrol, source group_formation) in one transaction, recording per person what
    happened and why. A proposal is confirmed once: confirming again enrols no one and
    returns False."""
    proposal = GroupProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.is_confirmed:
        return False
    members = list(proposal.members.filter(group__isnull=False)
                   .select_related("person", "group")
                   .order_by("group__number", "person__last_name", "person__first_name", "pk"))
    by_session = defaultdict(list)
    for member in members:
        if member.group.session_id is None:
            member.outcome = ProposalMember.Outcome.REFUSED
            member.outcome_message = _("The group has no session.")
        else:
            by_session[member.group.session_id].append(member)
    # Locked in id order, as services.enrol locks each (no deadlock with it or each other);
    # sessions are independent, so each one's members keep the order above.
    sessions = (Session.objects.select_for_update(of=("self",)).select_related("municipality")
                .filter(pk__in=by_session).order_by("pk"))
    for session in sessions:
        _enrol_at_once(session, by_session[session.pk], by=by)
    ProposalMember.objects.bulk_update(members, ["outcome", "outcome_message"], batch_size=500)
    proposal.confirmed_at = timezone.now()
    proposal.confirmed_by = _user(by)
    proposal.save(update_fields=["confirmed_at", "confirmed_by"])
    return True


# Reading a proposal for its page --------------------------------------------------------------

@dataclass
class GroupView:
    """A group as the page shows it: members (with unit and band, never a score), its
    session's free places and what needs the coordinator's eye."""

    group: ProposalGroup
    members: list[ProposalMember] = field(default_factory=list)
    free_places: int | None = None
    over_capacity: bool = False
    clashes: list[ProposalMember] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class ProposalView:
    proposal: GroupProposal
    groups: list[GroupView]
    removed: list[ProposalMember]
    band_counts: dict
    outcome_counts: dict

    @property
    def people(self) -> int:
        return sum(g.size for g in self.groups)

    @property
    def needs_session(self) -> list[GroupView]:
        return [g for g in self.groups if g.group.session_id is None]

    @property
    def refused(self) -> list[ProposalMember]:
        return [m for g in self.groups for m in g.members
                if m.outcome == ProposalMember.Outcome.REFUSED]

    @property
    def waiting(self) -> list[ProposalMember]:
        return [m for g in self.groups for m in g.members
                if m.outcome == ProposalMember.Outcome.WAITING]


def proposal_view(proposal: GroupProposal) -> ProposalView:
    """The proposal with its groups, members and warnings, in a fixed number of queries."""
    groups = {g.pk: GroupView(group=g) for g in proposal.groups.select_related(
        "session__course", "session__municipality").prefetch_related("session__meetings")}
    members = (proposal.members.select_related("person", "unit")
               .order_by(F("unit__name").asc(nulls_last=True), "person__last_name",
                         "person__first_name", "pk"))
    if not proposal.is_confirmed:
        members = members.annotate(clash=services.booked_at_the_same_time(
            session=OuterRef("group__session_id"), person=OuterRef("person_id")))
    removed = []
    for member in members:
        if member.group_id is None:
            removed.append(member)
            continue
        view = groups[member.group_id]
        view.members.append(member)
        if getattr(member, "clash", False):
            view.clashes.append(member)
    session_ids = {g.group.session_id for g in groups.values() if g.group.session_id}
    if session_ids and not proposal.is_confirmed:
        enrolled = dict(Session.objects.filter(pk__in=session_ids).with_counts()
                        .values_list("pk", "enrolled_count"))
        proposed = defaultdict(int)
        for view in groups.values():
            if view.group.session_id:
                proposed[view.group.session_id] += view.size
        for view in groups.values():
            session = view.group.session
            if session is not None:
                view.free_places = max(session.capacity - enrolled[session.pk], 0)
                view.over_capacity = proposed[session.pk] > view.free_places
    band_counts = dict(proposal.members.filter(group__isnull=False).values_list("band")
                       .annotate(n=Count("pk")).order_by())
    outcome_counts = dict(proposal.members.filter(group__isnull=False)
                          .values_list("outcome").annotate(n=Count("pk")).order_by())
    return ProposalView(proposal=proposal,
                        groups=sorted(groups.values(), key=lambda g: g.group.number),
                        removed=removed, band_counts=band_counts, outcome_counts=outcome_counts)
