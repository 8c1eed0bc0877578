import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default: every page needs a login, except those marked @login_not_required.

    The API answers for itself (401 JSON from its authentication), so it is not redirected here.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


@dataclass(frozen=True)
class PolicyBlock:
    """Why an authenticated user may not use the platform yet, and where they put it right."""

    code: str
    url_name: str
    query: str
    detail: str

    def page_url(self) -> str:
        return reverse(self.url_name) + self.query


def policy_block(user, now) -> PolicyBlock | None:
    """The login policy (docs/security.md, 身份鉴别) in one place, so pages, the API with a session, the API
    with a token and exports all refuse the same users for the same reasons."""
    if password_expired(user, now):
        return PolicyBlock(
            code="password_expired",
            url_name="accounts:password_change",
            query="?expired=1",
            detail=(
                "密码已过期或仍是初始密码：请先登录网页，在“修改密码”页面（/accounts/password/）"
                "修改密码后再使用本平台和接口"
            ),
        )
    if second_factor_missing(user):
        return PolicyBlock(
            code="second_factor_required",
            url_name="accounts:two_factor",
            query="?required=1",
            detail=(
                "您的角色须启用动态口令（双因素认证）：请先登录网页，在“动态口令”页面（/accounts/2fa/）"
                "完成绑定后再使用本平台和接口"
            ),
        )
    return None


def policy_refusal(block: PolicyBlock) -> JsonResponse:
    """The API's answer: 403 (authenticated, but not allowed until the user acts) with the reason's code."""
    return JsonResponse(
        {"detail": block.detail, "code": block.code, "errors": []},
        status=403,
        json_dumps_params={"ensure_ascii": False},
    )


class SessionPolicyMiddleware:
    """Password expiry and the second factor hold before anything else, on every path but the pages that
    put them right: a page is redirected there; the API (a session's request) answers 403 JSON. A request
    with an API token is checked where the token is read (jigai/api/auth.py), with the same rules."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and (block := policy_block(user, timezone.now())) is not None
        ):
            if request.path.startswith(API_PREFIX):
                return policy_refusal(block)
            return redirect(block.page_url())
        return self.get_response(request)


def second_factor_missing(user) -> bool:
    """Level 3 (docs/security.md): administrators and finance approvers need a second factor."""
    return user.role in settings.JIGAI_2FA_REQUIRED_ROLES and not user.totp_secret


def password_expired(user, now) -> bool:
    """An initial password (password_changed_at empty) and one older than the limit must be changed."""
    changed = user.password_changed_at
    if changed is None:
        return True
    return now - changed > dt.timedelta(days=settings.JIGAI_PASSWORD_MAX_AGE_DAYS)
