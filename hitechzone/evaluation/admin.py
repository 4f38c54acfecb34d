"""M4 in the admin, to look at: every write goes through ``services``, ``energy``, ``prices`` or ``land`` (their
rules, their audit), so the admin adds, changes and deletes nothing."""

from django.contrib import admin

from hitechzone.common.admin import ReadOnlyAdmin

from .models import EnergyRanking, EvaluationRun, Exemption, ExitCase, ExitPolicy, PriceTier, Scheme, Veto


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "brand", "current")
    search_fields = ("name", "title")
    list_select_related = ("brand", "current")


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "reason", "details")
    list_filter = ("year", "reason")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)


@admin.register(Veto)
class VetoAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "kind", "occurred_on", "reason")
    list_filter = ("year", "kind")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("year", "scheme_version", "brand", "status", "n_above", "n_below", "n_excluded", "published_at")
    list_filter = ("year", "status")
    exclude = ("summary",)
    list_select_related = ("scheme_version__scheme", "brand")


@admin.register(EnergyRanking)
class EnergyRankingAdmin(ReadOnlyAdmin):
    list_display = ("year", "electricity_basis", "electricity_kgce_per_kwh", "ranked", "created_at")


@admin.register(PriceTier)
class PriceTierAdmin(ReadOnlyAdmin):
    list_display = ("year", "klass", "min_years_in_class", "electricity_yuan_per_kwh", "water_yuan_per_t")
    list_filter = ("year", "klass")


@admin.register(ExitPolicy)
class ExitPolicyAdmin(ReadOnlyAdmin):
    list_display = ("year", "reward_basis", "reward_rate")


@admin.register(ExitCase)
class ExitCaseAdmin(ReadOnlyAdmin):
    list_display = ("code", "enterprise", "mode", "status", "land_freed_mu", "reward_wan_yuan")
    list_filter = ("status", "mode")
    search_fields = ("code", "enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)
