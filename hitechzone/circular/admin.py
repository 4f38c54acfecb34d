"""M5 in the admin, to look at: every write goes through ``services``, ``projects`` or ``optimize`` (their rules,
their audit), so the admin adds, changes and deletes nothing."""

from django.contrib import admin

from hitechzone.common.admin import ReadOnlyAdmin

from .models import CircularProject, Exchange, Flow, Material, OptimizationRun, ResourceYear


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "formula", "hazard")
    list_filter = ("hazard", "chains")
    search_fields = ("code", "name", "name_en", "formula")


@admin.register(Flow)
class FlowAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "material", "role", "quantity_t", "purity")
    list_filter = ("year", "role")
    search_fields = ("enterprise__name", "enterprise__uscc", "material__code", "material__name")
    list_select_related = ("enterprise", "material")


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ("year", "supplier", "receiver", "material", "quantity_t", "mode", "distance_km")
    list_filter = ("year", "mode")
    search_fields = ("supplier__name", "receiver__name", "material__code", "material__name")
    list_select_related = ("supplier", "receiver", "material")


@admin.register(ResourceYear)
class ResourceYearAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "fresh_water_t", "reused_water_t", "solid_waste_generated_t")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)


@admin.register(OptimizationRun)
class OptimizationRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "name", "year", "status", "solver", "solve_seconds", "created_by")
    list_filter = ("status", "solver")
    list_select_related = ("created_by",)


@admin.register(CircularProject)
class CircularProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "owner", "enterprise", "category", "batch_year", "status", "grade")
    list_filter = ("owner", "category", "status", "batch_year")
    search_fields = ("code", "name", "enterprise__name")
    list_select_related = ("enterprise",)
