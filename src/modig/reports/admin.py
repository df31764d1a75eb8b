from django.contrib import admin

from modig.reports.models import EsfBackground


@admin.register(EsfBackground)
class EsfBackgroundAdmin(admin.ModelAdmin):
    list_display = ["person", "education_level", "employment_status"]
    list_filter = ["education_level", "employment_status"]
    raw_id_fields = ["person"]
