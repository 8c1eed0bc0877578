"""Login with lockout: 5 failures lock the account for 30 minutes (security.md).

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
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username__iexact=username).first()
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
            actor = _actor(request, user.username)
            actor.user_id, actor.role = user.pk, user.role
            if user.locked_until_at and user.locked_until_at > now:
                audit.record(
                    "login_failure", obj=user, outcome="failure", message="账户锁定期间尝试登录", actor=actor
                )
                return None
            ok = user.check_password(password) and self.user_can_authenticate(user)
            if ok and user.totp_secret:
                ok = bool(otp) and pyotp.TOTP(user.totp_secret).verify(str(otp), valid_window=1)
            if not ok:
                user.failed_login_count += 1
                fields = ["failed_login_count"]
                if user.failed_login_count >= settings.JIGAI_LOCKOUT_FAILURES:
                    user.locked_until_at = now + dt.timedelta(minutes=settings.JIGAI_LOCKOUT_MINUTES)
                    user.failed_login_count = 0
                    fields.append("locked_until_at")
                User.objects.filter(pk=user.pk).update(**{f: getattr(user, f) for f in fields})
                audit.record("login_failure", obj=user, outcome="failure", message="密码错误", actor=actor)
                if "locked_until_at" in fields:
                    audit.record(
                        "lockout",
                        obj=user,
                        outcome="success",
                        message=f"连续失败{settings.JIGAI_LOCKOUT_FAILURES}次，锁定{settings.JIGAI_LOCKOUT_MINUTES}分钟",
                        actor=actor,
                    )
                return None
            if user.failed_login_count or user.locked_until_at:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until_at=None)
            audit.record("login_success", obj=user, actor=actor)
            return user
