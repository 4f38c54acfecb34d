from django.contrib import admin

from . import models


@admin.register(models.TalentOffice)
class TalentOfficeAdmin(admin.ModelAdmin):
    list_display = ("department", "since")
    autocomplete_fields = ()


@admin.register(models.Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "host", "status")
    list_filter = ("kind", "level", "status")
    search_fields = ("name", "host")


class IncubatorEnterpriseInline(admin.TabularInline):
    model = models.IncubatorEnterprise
    raw_id_fields = ("enterprise",)
    extra = 0


@admin.register(models.Incubator)
class IncubatorAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "location", "floor_area_m2", "investment_wan_yuan")
    search_fields = ("name", "city")
    inlines = (IncubatorEnterpriseInline,)


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "city", "agreement_signed_on", "agreement_ends_on")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(models.Talent)
class TalentAdmin(admin.ModelAdmin):
    """The ID number and the phone are not shown here: the masked values only (the reveal is the talent office's
    audited action on the talent's page)."""

    list_display = ("name", "programme", "level", "degree", "enterprise", "id_number_masked", "phone_masked")
    list_filter = ("level", "degree", "academician")
    search_fields = ("name", "programme")
    exclude = ("id_number", "phone")
    readonly_fields = ("id_number_masked", "phone_masked")
    raw_id_fields = ("enterprise",)


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "budget_wan_yuan", "status")


@admin.register(models.Grant)
class GrantAdmin(admin.ModelAdmin):
    """Read-only: a grant is approved through the service (the fund is locked so that it is never overdrawn)."""

    list_display = ("fund", "recipient_enterprise", "amount_wan_yuan", "status", "decided_on")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TeamMemberInline(admin.TabularInline):
    model = models.TeamMember
    extra = 0


@admin.register(models.TeamApplication)
class TeamApplicationAdmin(admin.ModelAdmin):
    list_display = ("team_name", "leader_name", "project", "status", "submitted_on")
    list_filter = ("status",)
    readonly_fields = ("status",)
    inlines = (TeamMemberInline,)


from . import admin_finance  # noqa: E402, F401  (technology finance, partnerships, fund calls)
