from django.contrib import admin

from .models import Block, Brand, Department, FunctionalArea, Parcel


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "level", "approved_on", "sort_order")
    search_fields = ("name", "short_name", "code")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "brand")
    list_filter = ("brand",)
    search_fields = ("name", "code")


@admin.register(FunctionalArea)
class FunctionalAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "brand", "is_chemical", "sort_order")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "level", "phone", "sort_order")
    list_filter = ("level",)
    search_fields = ("name", "short_name", "code")


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "brand", "functional_area", "enterprise", "land_use", "area_mu", "area_m2")
    list_filter = ("brand", "functional_area", "land_use")
    search_fields = ("code", "name", "enterprise__name")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("brand", "functional_area", "enterprise")
