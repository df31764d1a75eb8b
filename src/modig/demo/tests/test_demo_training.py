"""The demo's training: `modig demo` on a small scale, checked in the database and through the
hours ledger (the same figures every page shows)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from modig.demo.generator import generate_region
from modig.demo.training import generate_training
from modig.organisation.models import Municipality, Person, Programme, StaffCategory, TargetGroup
from modig.surveys.models import Answer, Round
from modig.training import ledger
from modig.training.models import (
    Attendance,
    AttendanceCertification,
    Course,
    DistanceCompletion,
    Enrolment,
    Meeting,
    Session,
)
from modig.training.services import attended_minutes, booked_at_the_same_time

SCALE = "0.2"


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db) -> str:
    return run_demo("--scale", SCALE)


def test_catalogue_has_the_five_tracks_in_every_format_tied_to_digcomp(demo_output):
    # The catalogue of demo/training.py: not the ambassadors' network course (unpublished)
    # and micro-trainings that demo/ambassadors.py adds.
    courses = Course.objects.exclude(code__startswith="natverk-").exclude(
        code__startswith="mikro-")
    assert 15 <= courses.count() <= 25
    assert set(courses.values_list("format", flat=True)) == set(Course.Format.values)
    assert not courses.filter(is_published=False).exists()
    assert not courses.filter(competences__isnull=True).exists()
    assert not courses.filter(target_groups__isnull=True).exists()
    assert set(courses.values_list("competences__framework__is_default", flat=True)) == {True}
    assert set(courses.values_list("target_groups__code", flat=True)) == set(TargetGroup.Code)
    managers = courses.get(code="leda-digital-forandring")
    assert "förändring" in managers.title
    assert managers.target_groups.filter(code=TargetGroup.Code.OPERATIONAL_MANAGER).exists()
    assert courses.get(code="ombud-lar-ut").target_groups.get().code == TargetGroup.Code.AMBASSADOR
    local = courses.filter(municipality__isnull=False)
    assert local.count() == 2
    assert not Session.objects.filter(course__in=local).exclude(
        municipality=F("course__municipality")).exists()


def test_sessions_span_two_years_with_meetings_trainers_places_and_small_groups(demo_output):
    today = timezone.localdate()
    sessions = Session.objects.all()
    live_formats = set(sessions.values_list("course__format", flat=True))
    assert live_formats == {Course.Format.ON_SITE, Course.Format.REMOTE_LIVE,
                            Course.Format.BLENDED}
    assert not sessions.filter(meetings__isnull=True).exists()
    assert not sessions.filter(trainer__isnull=True).exists()
    assert not sessions.filter(place="", video_url="").exists()
    assert sessions.filter(course__format=Course.Format.REMOTE_LIVE, place="").count() == \
        sessions.filter(course__format=Course.Format.REMOTE_LIVE).count()
    past = Meeting.objects.filter(date__lt=today)
    first, last = past.order_by("date").first().date, past.order_by("date").last().date
    assert first < datetime.date(2025, 3, 15) and last > datetime.date(2026, 9, 30)
    assert not past.filter(date__month=7).exists()  # summer break
    assert Meeting.objects.filter(date__gt=today).exists()  # the next term
    assert not Meeting.objects.filter(date__week_day__in=[1, 7]).exists()  # no weekends
    small = sessions.filter(group_level=Session.GroupLevel.SMALL_GROUP)
    assert small.exists() and set(small.values_list("capacity", flat=True)) == {6}
    assert sessions.filter(group_level=Session.GroupLevel.REGULAR, capacity__gte=14).exists()
    # Ambassadors run on-site sessions at home after their own course.
    by_ambassadors = sessions.filter(
        trainer__person__employments__target_groups__code=TargetGroup.Code.AMBASSADOR)
    assert by_ambassadors.filter(course__format=Course.Format.ON_SITE).exists()
    assert not by_ambassadors.filter(meetings__date__lt=datetime.date(2025, 6, 1)).exists()
    assert sessions.filter(status=Session.Status.CANCELLED).count() < 0.05 * sessions.count()


def test_small_groups_hold_the_lowest_baseline_scorers(demo_output):
    baseline = Round.objects.get(kind=Round.Kind.BASELINE, questionnaire__audience="staff")

    def mean_score(level):
        keys = Enrolment.objects.filter(session__course__code="digital-grundkurs",
                                        session__group_level=level).values("person__pseudonym")
        return Answer.objects.filter(response__round=baseline, value__gt=0,
                                     response__respondent_key__in=keys).aggregate(
            mean=Avg("value"))["mean"]

    small, regular = mean_score("small_group"), mean_score("regular")
    assert small < regular - 0.4


def test_the_ledger_counts_a_realistic_majority_trained_at_about_eight_and_a_half_hours(
        demo_output):
    programme = Programme.objects.get()
    total = ledger.totals(programme)
    people = Person.objects.count()
    assert 0.70 <= total.people / people <= 0.85
    assert 8.0 <= total.hours / total.people <= 9.5
    printed = re.search(r"(\d+) people trained, ([\d,]+) training hours", demo_output)
    assert int(printed.group(1)) == total.people
    assert int(printed.group(2).replace(",", "")) == round(total.hours)
    # Every municipality trained people; Stenungsund, which started late, the smallest share.
    shares = {}
    for row in ledger.hours_by(programme, "municipality"):
        staff = Person.objects.filter(employments__municipality=row.key).distinct().count()
        shares[Municipality.objects.get(pk=row.key).code] = row.people / staff
    assert len(shares) == 7 and min(shares.values()) > 0.4
    assert min(shares, key=shares.get) == "1415"
    categories = {row.key: row for row in ledger.hours_by(programme, "staff_category")}
    management, base = categories[StaffCategory.MANAGEMENT], categories[StaffCategory.BASE]
    assert management.hours / management.people > base.hours / base.people


def test_attendance_has_realistic_absence_and_is_recorded_only_where_it_can_be(demo_output):
    counts = Attendance.objects.aggregate(
        total=Count("pk"), absent=Count("pk", filter=Q(status="absent")),
        partial=Count("pk", filter=Q(status="partial")))
    assert 0.10 <= counts["absent"] / counts["total"] <= 0.15
    assert 0.05 <= counts["partial"] / counts["total"] <= 0.10
    partial = Attendance.objects.filter(status="partial").select_related("meeting")
    assert all(0 < row.minutes < row.meeting.minutes for row in partial)
    present = Attendance.objects.filter(status="present").select_related("meeting")[:500]
    assert all(row.minutes == row.meeting.minutes for row in present)
    assert not Attendance.objects.filter(meeting__date__gte=timezone.localdate()).exists()
    assert not Attendance.objects.filter(meeting__session__status="cancelled").exists()
    enrolled = Enrolment.objects.filter(session=OuterRef("meeting__session"),
                                        person=OuterRef("person"), status="enrolled")
    assert not Attendance.objects.filter(~Exists(enrolled)).exists()
    assert Attendance.objects.filter(source="import").exists()
    assert Attendance.objects.filter(source="check_in", recorded_by__isnull=True).exists()


def test_no_one_is_double_booked_or_over_capacity_and_a_few_sessions_have_waiting_lists(
        demo_output):
    overlapping = Enrolment.objects.active().filter(
        booked_at_the_same_time(session=OuterRef("session"), person=OuterRef("person")))
    assert not overlapping.exists()
    sessions = Session.objects.with_counts()
    assert not sessions.filter(enrolled_count__gt=F("capacity")).exists()
    waiting = sessions.filter(waiting_count__gt=0)
    assert 1 <= waiting.count() <= 0.1 * sessions.count()
    assert not waiting.exclude(enrolled_count=F("capacity")).exists()  # only full sessions
    assert not waiting.filter(meetings__date__lt=timezone.localdate()).exists()
    for session in waiting:  # the waiting list signed up after the places were taken
        last_place = session.enrolments.enrolled().order_by("-created_at").first()
        assert session.enrolments.waiting().first().created_at > last_place.created_at
    assert Enrolment.objects.filter(status="cancelled", cancelled_at__isnull=False).exists()
    assert not Enrolment.objects.filter(created_at__gt=timezone.now()).exists()


def test_distance_completions_and_certifications_are_consistent(demo_output):
    programme = Programme.objects.get()
    completions = DistanceCompletion.objects.all()
    assert set(completions.values_list("course__format", flat=True)) == {
        Course.Format.SELF_PACED, Course.Format.BLENDED}
    assert not completions.filter(completed_on__gt=timezone.localdate()).exists()
    assert not completions.filter(completed_on__lt=programme.starts_on).exists()
    blended = completions.filter(course__format=Course.Format.BLENDED)
    assert blended.exists()
    assert not blended.exclude(
        person__attendances__meeting__session__course=F("course"),
        person__attendances__minutes__gt=0).exists()
    certifications = list(AttendanceCertification.objects.select_related("person", "session"))
    assert len(certifications) > 100
    stale = [c for c in certifications
             if attended_minutes(c.person, c.session) != c.certified_minutes]
    assert 0 < len(stale) < 0.08 * len(certifications)
    hours = Attendance.objects.aggregate(minutes=Sum("minutes"))["minutes"]
    assert hours > 0


def describe_training() -> tuple:
    return (
        list(Session.objects.order_by("pk").values_list(
            "course__code", "label", "capacity", "group_level", "status", "place")),
        list(Meeting.objects.order_by("pk").values_list("date", "starts_at", "ends_at")),
        list(Enrolment.objects.order_by("pk").values_list(
            "session__label", "person__first_name", "person__last_name", "status")),
        list(Attendance.objects.order_by("pk").values_list(
            "meeting__date", "person__last_name", "status", "minutes")),
        list(DistanceCompletion.objects.order_by("pk").values_list(
            "course__code", "person__last_name", "completed_on")),
    )


def snapshot(seed: int) -> tuple:
    with transaction.atomic():
        summary = generate_region(seed=seed, scale=0.1, surveys=False)
        generate_training(summary.programme, seed=seed)
        described = describe_training()
        transaction.set_rollback(True)
    return described


def test_two_runs_with_the_same_seed_give_the_same_training(db):
    first, second, other_seed = snapshot(5), snapshot(5), snapshot(6)
    assert first == second
    assert len(first[3]) > 500
    assert first[3] != other_seed[3]


def test_no_training_leaves_the_catalogue_empty(db):
    output = run_demo("--scale", "0.1", "--no-surveys", "--no-training")
    assert "Training:" not in output
    assert not Course.objects.exists() and not Session.objects.exists()
