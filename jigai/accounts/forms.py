from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    otp = forms.CharField(
        label=_("动态口令"), required=False, max_length=8, help_text=_("启用了双因素认证的账户须填写")
    )

    error_messages = {
        "invalid_login": _("用户名或密码错误，或账户已被锁定。连续失败5次将锁定30分钟。"),
        "inactive": _("用户名或密码错误，或账户已被锁定。连续失败5次将锁定30分钟。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            from django.contrib.auth import authenticate

            self.user_cache = authenticate(
                self.request, username=username, password=password, otp=self.cleaned_data.get("otp")
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
