"""Fixtures shared by every app's tests: users for every role, factories for the project library, and the
demo (`jigai demo`) built once per session for the tests that read it."""

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

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


@pytest.fixture(scope="session")
def _demo_database(request, django_db_setup, django_db_blocker):
    """`jigai demo` (default seed), built and committed once, at the first test that asks for `demo_data`:
    by then every other test has run (pytest_collection_modifyitems below), so no test that expects an
    empty database sees it, and no transactional test flushes it away. A database kept for the next session
    (--reuse-db) is emptied again at the end, as the migrations left it."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import translation

    from jigai.core import reference

    with django_db_blocker.unblock():
        assert not any(c.in_atomic_block for c in connections.all()), "the demo must be committed"
        if not Region.objects.exists():  # the last transactional test flushed the reference data too
            reference.load(apps)
        out = io.StringIO()
        # As a test's own call_command("demo") saw it: the interface's default language, whatever the
        # previous test left active.
        with translation.override(settings.LANGUAGE_CODE):
            call_command("demo", stdout=out)
    yield out.getvalue()
    if request.config.getoption("reuse_db") and not request.config.getoption("create_db"):
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            reference.load(apps)


@pytest.fixture
def demo_data(request, _demo_database):
    """The demo (`jigai demo`, default seed), shared by every test that asks for it: the test still runs in
    its own transaction, rolled back at its end, so it may change the demo's records but must not commit
    (no `transaction=True`, `transactional_db` or `live_server`: their flush would empty the database for
    the tests after it). `.output` is what the command printed."""
    if _is_transactional(request) or "live_server" in request.fixturenames:
        pytest.fail("demo_data is shared by the session: a transactional test would flush it; build your own")
    request.getfixturevalue("db")
    from jigai.demo import people

    if not people.demo_exists():
        pytest.fail("the shared demo is gone: a test emptied the database after it was built")
    return SimpleNamespace(output=_demo_database)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's own order (plain database tests, then transactional, then the rest): the tests
    on the shared demo last, in their order, so that it is built after every other test has run."""
    on_demo = [item for item in items if "_demo_database" in getattr(item, "fixturenames", ())]
    for item in on_demo:
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(
            item.fixturenames
        ):
            raise pytest.UsageError(f"{item.nodeid}: a transactional test cannot use the shared demo_data")
    last = set(on_demo)
    items.sort(key=lambda item: item in last)


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
