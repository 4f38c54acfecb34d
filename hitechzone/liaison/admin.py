from django.contrib import admin

from hitechzone.enterprises.models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("officer", "enterprise", "started_on", "ended_on")
    list_filter = ("ended_on",)
    search_fields = ("officer__username", "officer__full_name", "enterprise__name")
    autocomplete_fields = ("enterprise",)
    raw_id_fields = ("officer",)
    list_select_related = ("officer", "enterprise")
