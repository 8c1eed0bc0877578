from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext

from jigai.core import audit

from .forms import LoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password_changed_at"])
        audit.record("password_change", obj=user)
        messages.success(self.request, gettext("密码已修改。"))
        return response


TOTP_ISSUER = "技改通"


def two_factor_setup(request):
    """Enrol a second factor (TOTP, RFC 6238): the secret is shown once and kept only after the user
    proves their authenticator produces the right code."""
    import pyotp
    from django.shortcuts import redirect, render

    user = request.user
    secret = request.session.get("pending_totp_secret")
    if secret is None or (request.method == "GET" and not request.GET.get("keep")):
        secret = pyotp.random_base32()
        request.session["pending_totp_secret"] = secret
    error = ""
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip()
        if pyotp.TOTP(secret).verify(code, valid_window=1):
            user.totp_secret = secret
            user.save(update_fields=["totp_secret"])
            del request.session["pending_totp_secret"]
            audit.record("2fa_enable", obj=user)
            messages.success(request, gettext("动态口令已启用，今后登录须输入动态口令。"))
            return redirect("/")
        error = gettext("动态口令不正确，请核对手机时间后重试。")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "accounts/two_factor.html",
        {
            "secret": grouped,
            "uri": uri,
            "error": error,
            "enabled": bool(user.totp_secret),
            "required": request.GET.get("required"),
        },
    )
