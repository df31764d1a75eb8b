from django.contrib import admin

from modig.organisation.models import (
    Employment,
    Municipality,
    Occupation,
    OperationArea,
    Person,
    Programme,
    ProgrammeTarget,
    TargetGroup,
    Unit,
)


class ProgrammeTargetInline(admin.TabularInline):
    model = ProgrammeTarget
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_organisation", "starts_on", "ends_on"]
    filter_horizontal = ["municipalities"]
    inlines = [ProgrammeTargetInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county_code"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "operation_area", "is_active"]
    list_filter = ["municipality", "kind", "operation_area", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]


class EmploymentInline(admin.StackedInline):
    model = Employment
    extra = 0
    raw_id_fields = ["units"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "birth_year"]
    search_fields = ["last_name", "first_name", "email"]
    exclude = ["identity_number"]
    readonly_fields = ["masked_identity_number"]
    inlines = [EmploymentInline]


admin.site.register(OperationArea)
admin.site.register(TargetGroup)
admin.site.register(Occupation)
admin.site.site_header = "Modig"
