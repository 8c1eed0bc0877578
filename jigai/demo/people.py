"""A user for every role, with the password printed by `jigai demo`."""

from jigai.accounts.models import Role, User
from jigai.accounts.services import user_create
from jigai.core.models import Region

DEMO_PASSWORD = "Jigai#2018"

# username, role, display name, region code, extra
BASE_USERS = [
    ("office", Role.OFFICE, "州经信委 技改科", None),
    ("finance", Role.FINANCE, "州财政局 经建科", None),
    ("leader", Role.LEADER, "州领导（只读）", None),
    ("auditor", Role.AUDITOR, "审计管理员", None),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员", None),
    ("sysadmin", Role.SYSADMIN, "系统管理员", None),
    ("bank", Role.BANK, "农行恩施分行 客户经理", None),
]


def clerk_username(region_code: str) -> str:
    return f"clerk_{region_code.lower()}"


def build_users(*, now, enterprise_codes: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Create the demo users; return (username, role label, scope) rows for printing."""
    rows = []
    for username, role, name, _ in BASE_USERS:
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,  # a development machine only: `jigai demo` refuses production
            role=role,
            now=now,
            display_name=name,
            bank_name="中国农业银行恩施分行" if role == Role.BANK else "",
        )
        rows.append(
            (
                username,
                str(Role(role).label),
                "全州" if role in (Role.OFFICE, Role.FINANCE, Role.LEADER) else "",
            )
        )
    for region in Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"):
        username = clerk_username(region.code)
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,  # a development machine only: `jigai demo` refuses production
            role=Role.CLERK,
            now=now,
            region=region,
            display_name=f"{region.name}经信局 经办人",
        )
        rows.append((username, str(Role.CLERK.label), region.name))
    for i, (credit_code, name) in enumerate(enterprise_codes, start=1):
        username = f"ent{i:02d}"
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,  # a development machine only: `jigai demo` refuses production
            role=Role.ENTERPRISE,
            now=now,
            credit_code=credit_code,
            display_name=f"{name} 填报员",
        )
        rows.append((username, str(Role.ENTERPRISE.label), name))
    return rows


def demo_exists() -> bool:
    return User.objects.filter(username="office").exists()
