from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jigai.core import audit
from jigai.core.admin_base import RoleAdmin
from jigai.core.codes import CodeError, validate_credit_code

from .models import Role, User
from .services import STAFF_ROLES, user_role_changed

SEC = frozenset({Role.SECURITY_ADMIN})


class UserCreateForm(forms.ModelForm):
    password1 = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ("username", "display_name", "role", "region", "credit_code", "bank_name")

    def clean_username(self):
        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("用户名已存在（不区分大小写）")
        return name

    def clean(self):
        cd = super().clean()
        role = cd.get("role")
        if role == Role.CLERK and not cd.get("region"):
            self.add_error("region", "县市经办人必须绑定一个报送单位")
        if role == Role.ENTERPRISE:
            try:
                cd["credit_code"] = validate_credit_code(cd.get("credit_code") or "")
            except CodeError as exc:
                self.add_error("credit_code", str(exc))
        if cd.get("password1") != cd.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif cd.get("password1"):
            probe = User(username=cd.get("username") or "", role=role or "")
            try:
                validate_password(cd["password1"], probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cd


@admin.register(User)
class UserAdmin(RoleAdmin):
    """The security administrator manages accounts and roles; nobody else does (separation of duties)."""

    list_display = (
        "username",
        "display_name",
        "role",
        "region",
        "credit_code",
        "is_active",
        "locked_until_at",
    )
    list_filter = ("role", "region", "is_active")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    fields = (
        "username",
        "display_name",
        "role",
        "region",
        "credit_code",
        "bank_name",
        "is_active",
        "failed_login_count",
        "locked_until_at",
        "password_changed_at",
        "last_login",
    )
    readonly_fields = ("last_login", "password_changed_at")
    change_roles = add_roles = SEC

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserCreateForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return (
                "username",
                "display_name",
                "role",
                "region",
                "credit_code",
                "bank_name",
                "password1",
                "password2",
            )
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.pk == request.user.pk:
            # Separation of duties (docs/security.md): nobody changes their own role.
            return (*self.readonly_fields, "role")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_password(form.cleaned_data["password1"])
            obj.is_staff = obj.role in STAFF_ROLES
            # An initial password set by the administrator must be changed at first login
            # (password_changed_at empty: jigai/accounts/middleware.py).
            obj.password_changed_at = None
            super().save_model(request, obj, form, change)
            audit.record("user_create", obj=obj, after={"username": obj.username, "role": obj.role})
            return
        role_changed = "role" in form.changed_data
        if role_changed and obj.pk == request.user.pk:
            raise PermissionDenied("不能修改自己的角色")
        before = {f: form.initial.get(f) for f in form.changed_data}
        obj.is_staff = obj.role in STAFF_ROLES
        super().save_model(request, obj, form, change)
        audit.record(
            "user_change",
            obj=obj,
            before=before,
            after={f: form.cleaned_data.get(f) for f in form.changed_data},
        )
        if role_changed:
            user_role_changed(user=obj, before=form.initial.get("role"), by=request.user, now=timezone.now())
