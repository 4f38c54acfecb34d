from django.contrib import admin

from .models import Contact, Enterprise, EnterpriseIndicator, Industry, IndustryChain


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "sort_order")
    search_fields = ("name", "name_en", "code")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = EnterpriseIndicator
    extra = 0
    fields = ("year", "land_mu", "gross_output_wan_yuan", "revenue_wan_yuan", "tax_wan_yuan", "energy_tce")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "brand", "functional_area", "industry", "is_above_scale", "status")
    list_filter = ("brand", "functional_area", "is_above_scale", "status", "chains")
    search_fields = ("name", "uscc", "legal_representative")
    autocomplete_fields = ("industry",)
    filter_horizontal = ("chains",)
    list_select_related = ("brand", "functional_area", "industry")
    inlines = [ContactInline, IndicatorInline]


@admin.register(EnterpriseIndicator)
class EnterpriseIndicatorAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "land_mu", "gross_output_wan_yuan", "tax_wan_yuan", "energy_tce")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise",)
