"""The training models in Django's admin, for the programme office's repairs. Everyday writes
go through the pages and services.py; the check-in secret is never shown."""

from django.contrib import admin

from modig.training.models import (
    Attendance,
    AttendanceCertification,
    Course,
    DistanceCompletion,
    Enrolment,
    Meeting,
    Session,
    TrainingMessage,
)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "format", "nominal_minutes", "municipality", "is_published"]
    list_filter = ["format", "is_published", "programme", "municipality", "target_groups"]
    search_fields = ["code", "title"]
    filter_horizontal = ["competences", "target_groups"]
    raw_id_fields = ["created_by"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "municipality", "trainer", "capacity", "group_level",
                    "status"]
    list_filter = ["status", "group_level", "municipality"]
    search_fields = ["label", "course__title", "course__code"]
    raw_id_fields = ["course", "trainer"]
    exclude = ["check_in_secret"]
    inlines = [MeetingInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    raw_id_fields = ["session", "person", "enrolled_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "minutes", "source", "recorded_at"]
    list_filter = ["status", "source"]
    raw_id_fields = ["meeting", "person", "recorded_by"]


@admin.register(DistanceCompletion)
class DistanceCompletionAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "completed_on", "confirmed_as"]
    raw_id_fields = ["course", "person", "confirmed_by"]


@admin.register(AttendanceCertification)
class AttendanceCertificationAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "certified_minutes", "certified_at"]
    raw_id_fields = ["person", "session", "certified_by_user"]


@admin.register(TrainingMessage)
class TrainingMessageAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "kind", "channel", "status", "created_at"]
    list_filter = ["kind", "channel", "status"]
    raw_id_fields = ["enrolment", "meeting"]
