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


@admin.register(models.PartnerAgreement)
class PartnerAgreementAdmin(admin.ModelAdmin):
    list_display = ("partner", "title", "signed_on", "valid_from", "valid_until", "status")
    list_filter = ("status",)
    search_fields = ("title", "partner__name")


@admin.register(models.Cooperation)
class CooperationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "partner", "enterprise", "contract_value_wan_yuan", "signed_on")
    list_filter = ("kind",)
    search_fields = ("title", "partner__name", "enterprise__name")
    raw_id_fields = ("enterprise",)
    date_hierarchy = "signed_on"


@admin.register(models.FundCall)
class FundCallAdmin(admin.ModelAdmin):
    list_display = ("title", "fund", "opens_on", "closes_on", "offered_wan_yuan", "status")
    list_filter = ("status",)
    search_fields = ("title", "fund__name")
