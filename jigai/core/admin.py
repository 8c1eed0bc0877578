from django.contrib import admin

from jigai.accounts.models import Role

from .admin_base import RoleAdmin
from .models import ChampionIndustry, Industry, Region

admin.site.site_header = "技改通 系统管理"
admin.site.site_title = "技改通"
admin.site.index_title = "系统管理"
admin.site.has_permission = lambda request: (
    request.user.is_active
    and request.user.is_authenticated
    and request.user.role in (Role.SYSADMIN, Role.SECURITY_ADMIN, Role.OFFICE)
)

REF = frozenset({Role.SYSADMIN})


@admin.register(Region)
class RegionAdmin(RoleAdmin):
    list_display = ("code", "name", "division_code", "level", "sort_order")
    ordering = ("sort_order", "id")
    change_roles = REF


@admin.register(Industry)
class IndustryAdmin(RoleAdmin):
    list_display = ("code", "name", "section")
    ordering = ("code",)
    change_roles = add_roles = REF


@admin.register(ChampionIndustry)
class ChampionIndustryAdmin(RoleAdmin):
    list_display = ("code", "name")
    ordering = ("id",)
    change_roles = add_roles = REF
