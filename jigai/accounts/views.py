from django.conf import settings
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


def api_tokens(request):
    """API tokens (issue 11, point 13): the owner issues, lists and revokes their own; the security
    administrator also sees and revokes everyone's (but issues none for another person, so every use of a
    token stays attributable to the one who holds it). A new token is shown once, on this answer only."""
    from django.http import Http404
    from django.shortcuts import redirect, render

    from .middleware import policy_block
    from .models import ApiToken, Role
    from .services import AccountError, token_create, token_revoke

    user = request.user
    now = timezone.now()
    # /accounts/ is open to a user who must first change their password or enrol a second factor; a token
    # is not issued to them before they do (the API would refuse it anyway).
    block = policy_block(user, now)
    if block is not None:
        return redirect(block.page_url())
    sees_all = user.role == Role.SECURITY_ADMIN
    new_token, error = "", ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            qs = ApiToken.objects.select_related("user")
            if not sees_all:
                qs = qs.filter(user=user)
            token = qs.filter(pk=_int_or_none(request.POST.get("token"))).first()
            if token is None:
                raise Http404("令牌不存在或无权访问")
            token_revoke(token=token, by=user, now=now)
            messages.success(request, gettext("已吊销令牌“%(name)s”。") % {"name": token.name})
            return redirect("accounts:api_tokens")
        try:
            new_token = token_create(user=user, name=request.POST.get("name", ""), now=now)
        except AccountError as exc:
            error = str(exc)
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if not sees_all:
        rows = rows.filter(user=user)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": rows,
            "now": now,
            "new_token": new_token,
            "error": error,
            "sees_all": sees_all,
            "days": settings.JIGAI_API_TOKEN_DAYS,
        },
    )


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
