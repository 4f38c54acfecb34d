"""The admin of technology finance, partnerships and fund calls (imported by ``admin.py``)."""

from django.contrib import admin

from . import models


@admin.register(models.FinanceDeal)
class FinanceDealAdmin(admin.ModelAdmin):
    list_display = ("kind", "enterprise", "counterparty", "amount_wan_yuan", "signed_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("counterparty", "enterprise__name")
    raw_id_fields = ("enterprise",)
    date_hierarchy = "signed_on"
