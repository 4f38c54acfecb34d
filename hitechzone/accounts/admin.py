from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "department", "enterprise", "is_active")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "full_name", "email", "phone")
    autocomplete_fields = ("department", "enterprise")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the zone"), {"fields": ("role", "full_name", "phone", "department", "enterprise")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the zone"), {"fields": ("role", "full_name", "department", "enterprise")}),
    )
