"""Login with lockout: 5 failures lock the account for 30 minutes (docs/security.md).

The message never says whether the username or the password was wrong, and a locked account refuses
even the right password until the lock expires.
"""

import datetime as dt

import pyotp
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.utils import timezone

from jigai.core import audit
from jigai.core.middleware import client_ip

from .models import User


def _actor(request, username: str) -> audit.Actor:
    return audit.Actor(username=username, source="page", ip=client_ip(request) if request else "")


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, otp=None, **kwargs):
        if not username or password is None:
            return None
        now = timezone.now()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            audit.record(
                "login_failure",
                object_type="accounts.user",
                object_repr=username,
                outcome="failure",
                message="用户不存在",
                actor=_actor(request, username),
            )
            return None
        # The password hash (PBKDF2, about 0.2 s of CPU by design) is checked before the row lock, not
        # under it: held through the hash, the lock queued every login to the same account — and on
        # SQLite, whose IMMEDIATE transactions take the one database write lock, every other write,
        # each request's session save included (benchmarks/loadtest.py: a burst of logins stalled
        # the whole site for seconds).
        checked = None
        if not (user.locked_until_at and user.locked_until_at > now):
            checked = self._credentials_ok(user, password, otp)
        with transaction.atomic():
            # Counted under the row lock, so concurrent failures each count; read afresh, so a lock
            # set by a concurrent failure refuses this login too. FOR NO KEY UPDATE (PostgreSQL; other
            # engines ignore it): a plain FOR UPDATE also blocks the foreign-key checks of every other
            # transaction that writes a row pointing at this user (a report, its revision) — and as this
            # transaction then waits for the audit chain's head, which such a transaction already
            # holds, the two deadlocked (loadtest.py: a clerk's save and a login to the same account).
            fresh = User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
            if fresh is None:
                return None
            actor = _actor(request, fresh.username)
            actor.user_id, actor.role = fresh.pk, fresh.role
            if fresh.locked_until_at and fresh.locked_until_at > now:
                audit.record(
                    "login_failure", obj=fresh, outcome="failure", message="账户锁定期间尝试登录", actor=actor
                )
                return None
            if checked is None or fresh.password != user.password or fresh.totp_secret != user.totp_secret:
                checked = self._credentials_ok(fresh, password, otp)  # changed meanwhile: check again
            ok = checked and self.user_can_authenticate(fresh)
            if not ok:
                fresh.failed_login_count += 1
                fields = ["failed_login_count"]
                if fresh.failed_login_count >= settings.JIGAI_LOCKOUT_FAILURES:
                    fresh.locked_until_at = now + dt.timedelta(minutes=settings.JIGAI_LOCKOUT_MINUTES)
                    fresh.failed_login_count = 0
                    fields.append("locked_until_at")
                User.objects.filter(pk=fresh.pk).update(**{f: getattr(fresh, f) for f in fields})
                audit.record("login_failure", obj=fresh, outcome="failure", message="密码错误", actor=actor)
                if "locked_until_at" in fields:
                    audit.record(
                        "lockout",
                        obj=fresh,
                        outcome="success",
                        message=f"连续失败{settings.JIGAI_LOCKOUT_FAILURES}次，锁定{settings.JIGAI_LOCKOUT_MINUTES}分钟",
                        actor=actor,
                    )
                return None
            if fresh.failed_login_count or fresh.locked_until_at:
                User.objects.filter(pk=fresh.pk).update(failed_login_count=0, locked_until_at=None)
            audit.record("login_success", obj=fresh, actor=actor)
            return fresh

    @staticmethod
    def _credentials_ok(user: User, password: str, otp) -> bool:
        ok = user.check_password(password)
        if ok and user.totp_secret:
            ok = bool(otp) and pyotp.TOTP(user.totp_secret).verify(str(otp), valid_window=1)
        return ok
