import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from jigai.core import audit
from jigai.core.codes import validate_credit_code
from jigai.core.errors import ValidationError

from .models import ApiToken, Role, User, UserSession

STAFF_ROLES = {Role.SECURITY_ADMIN, Role.SYSADMIN, Role.OFFICE}


class AccountError(ValidationError, ValueError):
    """A refused account change, of the one error family (jigai/core/errors.py); still a ValueError for
    the commands that catch one."""


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    now,
    region=None,
    credit_code: str = "",
    display_name: str = "",
    bank_name: str = "",
    check_password: bool = True,
    must_change_password: bool = True,
) -> User:
    """An initial password is one someone else chose: its holder must change it at first login
    (docs/security.md, 身份鉴别), unless the caller says otherwise (the demo on a development machine)."""
    if role not in Role.values:
        raise AccountError(f"未知角色：{role}")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"用户名“{username}”已存在（不区分大小写）")
    if role == Role.CLERK and region is None:
        raise AccountError("县市经办人必须绑定一个报送单位")
    if role == Role.ENTERPRISE:
        credit_code = validate_credit_code(credit_code)
    user = User(
        username=username,
        role=role,
        region=region if role == Role.CLERK else None,
        credit_code=credit_code if role == Role.ENTERPRISE else "",
        display_name=display_name,
        bank_name=bank_name,
        is_staff=role in STAFF_ROLES,
        password_changed_at=None if must_change_password else now,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        "user_create",
        obj=user,
        after={"username": username, "role": role, "region": region.code if region else None},
    )
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])  # the post_save handler ends a disabled user's sessions
    audit.record("user_enable" if active else "user_disable", obj=user)
    return user


@transaction.atomic
def user_unlock(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until_at=None)
    audit.record("user_unlock", obj=user)


def token_digest(token: str) -> str:
    return hashlib.new("sm3", token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, now=None) -> str:
    """Issue a token for its owner; only its digest is kept, so this is the one time it is seen."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise AccountError("请填写令牌名称（用途），例如“统计报表接口”")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise AccountError("令牌名称过长（最多 60 个字）")
    token = "jg_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        digest=token_digest(token),
        expires_at=now + dt.timedelta(days=settings.JIGAI_API_TOKEN_DAYS),
    )
    audit.record(
        "token_create",
        obj=user,
        after={"token": row.pk, "name": name, "expires_at": row.expires_at.isoformat()},
        message=f"创建 API 令牌“{name}”（编号 {row.pk}）",
    )
    return token


def token_can_manage(*, by: User, token: ApiToken) -> bool:
    """Its owner manages a token; the security administrator may see and revoke anyone's."""
    return by.pk == token.user_id or by.role == Role.SECURITY_ADMIN


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User, now) -> ApiToken:
    if not token_can_manage(by=by, token=token):
        raise AccountError("只能吊销自己的令牌")
    if token.revoked_at is None:
        token.revoked_at = now
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        audit.record(
            "token_revoke",
            obj=token.user,
            after={"token": token.pk, "name": token.name},
            message=f"吊销 API 令牌“{token.name}”（编号 {token.pk}）",
        )
    return token


def user_end_sessions(*, user: User) -> int:
    """End every session of the user, server-side (disabling, a role change)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_role_changed(*, user: User, before: str, by: User | None, now) -> None:
    """A role was changed (the admin saved it): nobody changes their own (docs/security.md, separation of
    duties). The change is audited with before/after, ends all of the user's sessions, and revokes their
    API tokens: a token was issued for the duties of the old role, and would silently carry the new one."""
    if by is not None and by.pk == user.pk:
        raise AccountError("不能修改自己的角色：职责分离要求由另一位安全管理员修改")
    if before == user.role:
        return
    user_end_sessions(user=user)
    revoked = list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("id").values_list("id", "name")
    )
    ApiToken.objects.filter(pk__in=[pk for pk, _ in revoked]).update(revoked_at=now)
    audit.record(
        "role_change",
        obj=user,
        before={"role": before},
        after={"role": user.role, "revoked_tokens": [f"{pk}:{name}" for pk, name in revoked]},
        message=f"角色由“{Role(before).label if before in Role.values else before}”改为“{user.get_role_display()}”，"
        "已结束其全部会话并吊销其 API 令牌",
    )
