from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("州经信委（领导小组办公室）")
    FINANCE = "finance", _("州财政局")
    CLERK = "clerk", _("县市经办人")
    ENTERPRISE = "enterprise", _("企业用户")
    BANK = "bank", _("银行用户")
    LEADER = "leader", _("领导（只读）")
    AUDITOR = "auditor", _("审计管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    SYSADMIN = "sysadmin", _("系统管理员")


ADMIN_ROLES = {Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSADMIN}


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """One person, one role (docs/security.md: nobody holds two administrator roles)."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所属报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    credit_code = models.CharField(_("企业统一社会信用代码"), max_length=18, blank=True)
    bank_name = models.CharField(_("所属银行"), max_length=60, blank=True)
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until_at = models.DateTimeField(_("锁定至"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    totp_secret = models.CharField(_("动态口令密钥"), max_length=64, blank=True)

    objects = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="clerk") | models.Q(region__isnull=False),
                name="accounts_clerk_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="enterprise") | ~models.Q(credit_code=""),
                name="accounts_enterprise_has_credit_code",
            ),
            models.CheckConstraint(condition=models.Q(is_superuser=False), name="accounts_no_superuser"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class UserSession(models.Model):
    """Maps a user to their server-side sessions, so disabling a user ends all of them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_links")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


class ApiToken(models.Model):
    """A bearer token for the API. Only a digest (SM3) is stored; the token is shown once. It expires
    after JIGAI_API_TOKEN_DAYS, and its last use (time, IP) is kept; the audit names it by id and name."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    last_used_ip = models.CharField(_("最近使用 IP"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return self.name
