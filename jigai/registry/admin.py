from django.contrib import admin

from jigai.accounts.models import Role
from jigai.core.admin_base import RoleAdmin

from .models import Enterprise, Project

OFFICE = frozenset({Role.OFFICE})


@admin.register(Enterprise)
class EnterpriseAdmin(RoleAdmin):
    list_display = ("name", "credit_code", "region", "industry")
    list_filter = ("region",)
    search_fields = ("name", "credit_code")
    ordering = ("id",)
    readonly_fields = ("credit_code", "version")
    change_roles = OFFICE


@admin.register(Project)
class ProjectAdmin(RoleAdmin):
    """Corrections by the programme office; the lifecycle is changed only through its own action."""

    list_display = ("name", "enterprise", "region", "status")
    list_filter = ("region", "status")
    search_fields = ("name",)
    ordering = ("id",)
    readonly_fields = ("status", "version", "enterprise", "region")
    change_roles = OFFICE

    def save_model(self, request, obj, form, change):
        obj.version += 1
        super().save_model(request, obj, form, change)
