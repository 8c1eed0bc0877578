"""Enterprises and projects in the admin: for reading only (issue 11 point 8).

The admin's form saves a whole row from what the page showed: it has no version check (a stale save
silently reverted a clerk's edit) and none of the domain's rules (it accepted an equipment investment
larger than the total and a malformed project code). Business data is therefore changed only through
the domain's services (pages, API, import), which validate, check the version and audit each row; the
programme office still looks records up here.
"""

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
    view_roles = OFFICE


@admin.register(Project)
class ProjectAdmin(RoleAdmin):
    list_display = ("name", "enterprise", "region", "status")
    list_filter = ("region", "status")
    search_fields = ("name",)
    ordering = ("id",)
    view_roles = OFFICE
