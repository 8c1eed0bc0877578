import datetime as dt

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default: every page needs a login, except those marked @login_not_required.

    The API answers for itself (401 JSON from its authentication), so it is not redirected here.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionPolicyMiddleware:
    """Password expiry: after JIGAI_PASSWORD_MAX_AGE_DAYS the user must change it before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and password_expired(user, timezone.now())
        ):
            return redirect(reverse("accounts:password_change") + "?expired=1")
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and second_factor_missing(user)
        ):
            return redirect(reverse("accounts:two_factor") + "?required=1")
        return self.get_response(request)


def second_factor_missing(user) -> bool:
    """Level 3 (docs/security.md): administrators and finance approvers need a second factor."""
    return user.role in settings.JIGAI_2FA_REQUIRED_ROLES and not user.totp_secret


def password_expired(user, now) -> bool:
    changed = user.password_changed_at
    if changed is None:
        return True
    return now - changed > dt.timedelta(days=settings.JIGAI_PASSWORD_MAX_AGE_DAYS)
