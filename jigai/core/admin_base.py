from django.contrib import admin


class RoleAdmin(admin.ModelAdmin):
    """Admin access by role only (no Django permissions, no superusers): deny by default."""

    view_roles: frozenset[str] = frozenset()
    change_roles: frozenset[str] = frozenset()
    add_roles: frozenset[str] = frozenset()
    delete_roles: frozenset[str] = frozenset()

    def _role(self, request):
        user = request.user
        return user.role if user.is_active and user.is_authenticated else None

    def has_module_permission(self, request):
        return self._role(request) in (self.view_roles | self.change_roles)

    def has_view_permission(self, request, obj=None):
        return self._role(request) in (self.view_roles | self.change_roles)

    def has_change_permission(self, request, obj=None):
        return self._role(request) in self.change_roles

    def has_add_permission(self, request):
        return self._role(request) in self.add_roles

    def has_delete_permission(self, request, obj=None):
        return self._role(request) in self.delete_roles
