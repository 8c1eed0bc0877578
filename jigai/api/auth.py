import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jigai.accounts.middleware import PolicyBlock, policy_block
from jigai.accounts.models import ApiToken
from jigai.accounts.services import token_digest
from jigai.core import audit
from jigai.core.middleware import client_ip

LAST_USE_GRANULARITY = dt.timedelta(minutes=1)


class AccountPolicyError(Exception):
    """The user is who they say, but the login policy (password expiry, second factor) refuses them
    until they act; jigai/api/api.py answers it as a 403 with the reason's code."""

    def __init__(self, block: PolicyBlock):
        super().__init__(block.detail)
        self.block = block


def _bind(request, user, detail: str, now):
    block = policy_block(user, now)
    if block is not None:
        raise AccountPolicyError(block)
    request.user = user
    audit._actor.set(audit.actor_for_user(user, source="api", ip=client_ip(request), source_detail=detail))
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        user = _bind(request, row.user, f"token:{row.pk}:{row.name}", now)
        # Each use is attributable to the token (issue 11, point 13): when and from where it was last used;
        # every audit record the request writes names it (source_detail above). The row is written at
        # most once a minute per address, so a burst of reads does not queue for SQLite's write lock.
        ip = client_ip(request)
        if (
            row.last_used_at is None
            or row.last_used_ip != ip
            or now - row.last_used_at > LAST_USE_GRANULARITY
        ):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now, last_used_ip=ip)
        return user


class ActiveSessionAuth(SessionAuth):
    def _get_key(self, request):
        # No logged-in session behind the cookie: "not logged in" (401), not a CSRF refusal (403) for a
        # session that does not exist. A real session is still CSRF-checked before anything else.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return _bind(request, user, "session", timezone.now())
