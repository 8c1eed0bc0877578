import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from jigai.core import audit
from jigai.core.codes import validate_credit_code
from jigai.core.errors import ValidationError

from .models import ApiToken, Role, User

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
) -> User:
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
        password_changed_at=now,
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
def token_create(*, user: User, name: str) -> str:
    token = "jg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=token_digest(token))
    audit.record("token_create", obj=user, message=f"创建 API 令牌“{name}”")
    return token
