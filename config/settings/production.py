"""Production: TLS in front, every secret from the environment, `check --deploy` clean."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("JIGAI_SECRET_KEY 未设置或过短（至少 50 个字符）")
if not os.environ.get("JIGAI_AUDIT_KEY"):
    raise ImproperlyConfigured("JIGAI_AUDIT_KEY 未设置：审计日志的 HMAC-SM3 密钥必须来自环境变量")

DEBUG = False
JIGAI_PRODUCTION = True
JIGAI_2FA_REQUIRED_ROLES = frozenset(
    r
    for r in os.environ.get("JIGAI_2FA_REQUIRED_ROLES", "security_admin,sysadmin,auditor,finance").split(",")
    if r.strip()
)
SECURE_SSL_REDIRECT = env_bool("JIGAI_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("JIGAI_HSTS_SECONDS", 31536000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# An intranet host is never submitted to the browsers' public HSTS preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
