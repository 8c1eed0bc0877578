from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jigai.accounts.models import ApiToken
from jigai.accounts.services import token_digest
from jigai.core import audit
from jigai.core.middleware import client_ip


def _bind(request, user, detail: str):
    request.user = user
    audit._actor.set(audit.actor_for_user(user, source="api", ip=client_ip(request), source_detail=detail))
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return _bind(request, row.user, f"token:{row.name}")


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
        return _bind(request, user, "session")
