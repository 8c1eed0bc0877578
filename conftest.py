"""Fixtures shared by every app's tests: users for every role, and factories for the project library."""

import datetime as dt
from decimal import Decimal

import factory
import pytest
from django.utils import timezone

from jigai.accounts.models import Role, User
from jigai.core.codes import credit_check_char
from jigai.core.models import Industry, Region

PASSWORD = "Test#Pass2018"


def make_credit_code(n: int, division: str = "422801") -> str:
    body = f"91{division}{n:09d}"
    return body + credit_check_char(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Enterprise"

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    # Far above the fixed codes tests write themselves (make_credit_code(1 … 999)): a long session's factory
    # sequence must never reach one of them.
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1_000_000))
    region = factory.LazyFunction(lambda: Region.objects.get(code="422801"))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="15"))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Project"

    enterprise = factory.SubFactory(EnterpriseFactory)
    region = factory.LazyAttribute(lambda o: o.enterprise.region)
    industry = factory.LazyAttribute(lambda o: o.enterprise.industry)
    name = factory.Sequence(lambda n: f"测试技改项目{n}")
    total_investment_yuan = Decimal("50000000.00")
    equipment_investment_yuan = Decimal("20000000.00")
    fixed_asset_investment_yuan = Decimal("40000000.00")
    planned_start_date = dt.date(2018, 3, 1)
    planned_completion_date = dt.date(2019, 6, 30)


def make_user(username: str, role: str, **extra) -> User:
    user = User(
        username=username,
        role=role,
        password_changed_at=timezone.now(),
        is_staff=role in (Role.SECURITY_ADMIN, Role.SYSADMIN, Role.OFFICE),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test (browser, backup) flushes every table, migrations' reference data included;
    put it back for whichever test runs next."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    if not Region.objects.exists():
        from django.apps import apps

        from jigai.core import reference

        reference.load(apps)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames


@pytest.fixture
def region():
    return Region.objects.get(code="422801")


@pytest.fixture
def other_region():
    return Region.objects.get(code="422802")


@pytest.fixture
def users(db, region):
    """One user for every role; the clerk belongs to 恩施市 (422801)."""
    ent = EnterpriseFactory(region=region)
    return {
        "office": make_user("office", Role.OFFICE),
        "finance": make_user("finance", Role.FINANCE),
        "clerk": make_user("clerk", Role.CLERK, region=region),
        "enterprise": make_user("enterprise", Role.ENTERPRISE, credit_code=ent.credit_code),
        "bank": make_user("bank", Role.BANK),
        "leader": make_user("leader", Role.LEADER),
        "auditor": make_user("auditor", Role.AUDITOR),
        "security_admin": make_user("secadmin", Role.SECURITY_ADMIN),
        "sysadmin": make_user("sysadmin", Role.SYSADMIN),
        "_own_enterprise": ent,
    }


@pytest.fixture
def client_for(client, users):
    def login(role: str):
        client.force_login(users[role])
        return client

    return login
