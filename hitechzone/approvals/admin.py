from django.contrib import admin

from .models import Application, Item, ItemVersion, Material


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("position", "name", "required", "tolerable", "original", "blank_form", "sample")


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    """Read-mostly: versions are made by editing an item on the catalogue pages (a new version each time)."""

    list_display = ("item", "number", "name", "mode", "item_type", "promised_limit", "created_at")
    list_filter = ("mode", "item_type")
    search_fields = ("item__code", "name")
    list_select_related = ("item",)
    inlines = [MaterialInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "status")
    list_filter = ("status", "department")
    search_fields = ("code", "current__name")
    list_select_related = ("current", "department")
    raw_id_fields = ("current",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "version", "enterprise", "state", "received_on", "accepted_on", "due_on", "completed_on")
    list_filter = ("state", "outcome", "department")
    search_fields = ("number", "enterprise__name")
    list_select_related = ("version", "enterprise")
    raw_id_fields = ("item", "version", "enterprise", "bundle", "applicant", "agent", "assignee")
    date_hierarchy = "received_on"
