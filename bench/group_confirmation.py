"""Benchmark: confirming a group formation proposal of 3,000 people (training/grouping.py),
the bulk confirmation against enrolling each person through services.enrol (how it was
done before), on the same data, on PostgreSQL.

Creates a fresh database (default modig_bench_groups), one municipality (Ale) with --people
staff, a course with --people / 12 sessions of 12 places on separate days, another course
whose sessions overlap them and on which one in ten people is already booked, and a
proposal that puts 12 people in each session. Times `confirm_proposal` (bulk); then undoes
it (the new enrolments deleted, the proposal unconfirmed) and times the per-person loop
through `services.enrol` in one transaction. Checks both give every member the same
outcome. Drops the database (unless --keep).

    .venv/bin/python bench/group_confirmation.py [--people 3000] [--keep]
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from survey_results import drop_database, setup_database, use_bench_environment  # noqa: E402

SEATS = 12


def generate(people: int):
    from modig.organisation.models import Employment, Municipality, Person, Programme
    from modig.organisation.services import create_unit
    from modig.surveys.tests.factories import make_questionnaire, make_round
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

    ale = Municipality.objects.get(code="1440")
    programme = Programme.objects.create(
        name="Bench", owner_organisation="Bench", starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2030, 12, 31))
    programme.municipalities.set([ale])
    unit = create_unit(ale, name="Enhet")
    staff = Person.objects.bulk_create(
        Person(first_name="Person", last_name=f"P{n:05}") for n in range(people))
    employments = Employment.objects.bulk_create(
        Employment(person=p, municipality=ale, employee_id=str(p.pk), started_on="2015-01-01",
                   is_active=True) for p in staff)
    Employment.units.through.objects.bulk_create(
        Employment.units.through(employment=e, unit=unit) for e in employments)
    course = services.create_course(programme, by=None, code="grupp", title="Grupp",
                                    format=Course.Format.ON_SITE, nominal_minutes=120,
                                    is_published=True)
    other = services.create_course(programme, by=None, code="annan", title="Annan",
                                   format=Course.Format.ON_SITE, nominal_minutes=120,
                                   is_published=True)
    blocks = -(-people // SEATS)
    first_day = datetime.date(2027, 1, 4)
    sessions = Session.objects.bulk_create(
        Session(course=course, capacity=SEATS, municipality=ale) for _ in range(blocks))
    elsewhere = Session.objects.bulk_create(
        Session(course=other, capacity=SEATS, municipality=ale) for _ in range(blocks))
    Meeting.objects.bulk_create(
        Meeting(session=s, date=first_day + datetime.timedelta(days=n),
                starts_at=datetime.time(9), ends_at=datetime.time(11))
        for group in (sessions, elsewhere) for n, s in enumerate(group))
    # One in ten is already booked, at the same time, on the other course.
    Enrolment.objects.bulk_create(
        Enrolment(session=elsewhere[n // SEATS], person=p, source=Enrolment.Source.SELF,
                  status=Enrolment.Status.ENROLLED)
        for n, p in enumerate(staff) if n % 10 == 0)
    proposal = GroupProposal.objects.create(
        course=course, municipality=ale, survey_round=make_round(programme,
                                                                 make_questionnaire()),
        small_group_size=6, regular_group_size=SEATS)
    groups = ProposalGroup.objects.bulk_create(
        ProposalGroup(proposal=proposal, number=n + 1, level=Session.GroupLevel.REGULAR,
                      session=s) for n, s in enumerate(sessions))
    ProposalMember.objects.bulk_create(
        (ProposalMember(proposal=proposal, group=groups[n // SEATS], person=p, unit=unit,
                        band=ProposalMember.Band.REGULAR) for n, p in enumerate(staff)),
        batch_size=500)
    return proposal


def confirm_one_by_one(proposal) -> None:
    """The confirmation as it was before: services.enrol per member."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from modig.training import services
    from modig.training.models import Enrolment, ProposalMember

    with transaction.atomic():
        members = list(proposal.members.filter(group__isnull=False)
                       .select_related("person", "group__session")
                       .order_by("group__number", "person__last_name", "person__first_name",
                                 "pk"))
        for member in members:
            try:
                enrolment = services.enrol(member.group.session, member.person, by=None,
                                           source=Enrolment.Source.GROUP_FORMATION)
            except ValidationError as error:
                member.outcome = ProposalMember.Outcome.REFUSED
                member.outcome_message = error.messages[0][:300]
                continue
            member.outcome = (ProposalMember.Outcome.ENROLLED
                              if enrolment.status == Enrolment.Status.ENROLLED
                              else ProposalMember.Outcome.WAITING)
            member.outcome_message = ""
        ProposalMember.objects.bulk_update(members, ["outcome", "outcome_message"],
                                           batch_size=500)
        proposal.confirmed_at = timezone.now()
        proposal.save(update_fields=["confirmed_at"])


def outcomes(proposal) -> dict:
    return dict(proposal.members.values_list("person_id", "outcome"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/modig_bench_groups")
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    use_bench_environment(args.database_url, "modig-bench-groups-")
    report = {"command": " ".join(sys.argv), "people": args.people}
    try:
        setup_database(args.database_url)
        from django.db import connection

        from modig.training import grouping
        from modig.training.models import Enrolment, ProposalMember

        proposal = generate(args.people)
        for label, confirm in (("bulk", lambda: grouping.confirm_proposal(proposal, by=None)),
                               ("one by one", lambda: confirm_one_by_one(proposal))):
            queries = []  # counted, not kept (the query log keeps only the last 9,000)

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                confirm()
                seconds = time.perf_counter() - started
            result = outcomes(proposal)
            report[label] = {"seconds": round(seconds, 1), "queries": len(queries),
                             "enrolled": sum(v == "enrolled" for v in result.values()),
                             "refused": sum(v == "refused" for v in result.values()),
                             "load_average": round(os.getloadavg()[0], 1)}
            print(label, report[label], flush=True)
            report.setdefault("outcomes", []).append(result)
            # Undo, so the other way confirms the same proposal from the same start.
            Enrolment.objects.filter(source=Enrolment.Source.GROUP_FORMATION).delete()
            proposal.members.update(outcome=ProposalMember.Outcome.PENDING, outcome_message="")
            proposal.confirmed_at = None
            proposal.save(update_fields=["confirmed_at"])
        first, second = report.pop("outcomes")
        report["same_outcomes"] = first == second
        print("same outcomes:", report["same_outcomes"], flush=True)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "group_confirmation.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
