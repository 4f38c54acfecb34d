from django.contrib import admin

from .models import AdmissionRules, Investor, Panel, PanelMember, Project


@admin.register(Investor)
class InvestorAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "parent_group", "fortune_global_500_rank", "china_top500_rank")
    search_fields = ("name", "uscc", "parent_group")
    raw_id_fields = ("enterprise",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "investor", "industry_code", "stage", "officer", "created_on")
    list_filter = ("stage",)
    search_fields = ("name", "investor__name")
    raw_id_fields = ("investor", "officer")


@admin.register(AdmissionRules)
class AdmissionRulesAdmin(admin.ModelAdmin):
    """The administrator edits the yearly 标准地 thresholds here; a new version is a new row (year, version)."""

    list_display = ("year", "version", "is_demo_default", "note", "created_at")
    list_filter = ("is_demo_default",)


# --- Expert panels (docs/0009). Scores are not shown here: they stay sealed until every member has submitted. ---


# The expert pool and the scoring weights are kept in the shared review's admin (review/admin.py, docs/0013).


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    fk_name = "panel"
    fields = ("seat", "expert", "status", "replaces", "declined_at", "decline_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    """Panels are drawn on the project's page or through the API (the draw's rules); here they are only read."""

    list_display = ("project", "size", "seed", "drawn_on", "drawn_by")
    readonly_fields = ("project", "size", "seed", "chain", "eligible", "excluded", "replacements", "weights",
                       "drawn_on", "drawn_by", "drawn_at")  # fmt: skip
    inlines = [PanelMemberInline]

    def has_add_permission(self, request):
        return False
