from django.contrib import admin

from .models import AdmissionRules, Investor, Project


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
