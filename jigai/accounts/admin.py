from django.contrib import admin

from jigai.core.admin_base import RoleAdmin

from .models import Role, User

SEC = frozenset({Role.SECURITY_ADMIN})


@admin.register(User)
class UserAdmin(RoleAdmin):
    """The security administrator manages accounts and roles; nobody else does (separation of duties)."""

    list_display = ("username", "display_name", "role", "region", "credit_code", "is_active", "locked_until_at")
    list_filter = ("role", "region", "is_active")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    fields = ("username", "display_name", "role", "region", "credit_code", "bank_name", "is_active",
              "failed_login_count", "locked_until_at", "password_changed_at", "last_login")
    readonly_fields = ("last_login", "password_changed_at")
    change_roles = SEC

    def save_model(self, request, obj, form, change):
        from jigai.core import audit

        before = {f: form.initial.get(f) for f in form.changed_data}
        super().save_model(request, obj, form, change)
        audit.record("user_change", obj=obj, before=before,
                     after={f: form.cleaned_data.get(f) for f in form.changed_data})
