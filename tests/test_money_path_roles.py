"""Role × operation over the whole money path (申报, 验收, attachments, champion declarations, funds,
public notice): the matrix is exactly the table below, every guarded page of those apps refuses exactly
the roles outside its operation, another enterprise's application, attachment and money item answer
404, and the maker of a batch cannot approve it through the page, whatever roles they hold.

The apps' own tests check each operation at its service and API; this table is the seam between them."""

import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.accounts.permissions import MATRIX
from jigai.attachments.services import attachment_store
from jigai.attachments.tests import files
from jigai.funds import services as funds_services
from jigai.funds.models import Budget, ItemState
from jigai.funds.tests.helpers import AT, allocate, propose
from jigai.incentives import services as incentives_services
from jigai.incentives.models import Acceptance

pytestmark = pytest.mark.django_db

ROLES = tuple(r.value for r in Role)
MONEY_PATH = ("application.", "acceptance.", "attachment.", "champion.", "funds.", "notice.")
OF, F, C, E, L = "office", "finance", "clerk", "enterprise", "leader"
TABLE = {
    "application.view": {OF, F, C, E, L},
    "application.edit": {C, E},
    "application.check": {C, OF},
    "acceptance.view": {OF, F, C, L},
    "acceptance.inspect": {OF, F},
    "acceptance.amend": {OF},
    "attachment.download": {OF, F, C, E, L},
    "attachment.upload": {OF, F, C, E},
    "champion.view": {OF, F, C, E, L},
    "champion.declare": {C, E},
    "champion.verify": {OF},
    "funds.view": {OF, F, C, E, L},
    "funds.propose": {OF},
    "funds.prepare": {OF},
    "funds.approve": {F},
    "funds.notice": {OF},
    "funds.pay": {F},
    "funds.budget": {F},
    "funds.ledger": {OF, F, C, L},
    "notice.view": {OF, F, C, L},
    "notice.publish": {OF},
    "notice.objection": {OF},
}
MISSING = 999_999  # an id no record has: the guard answers before the row is looked up


def test_every_operation_of_the_money_path_is_in_the_table():
    ops = {op for op in MATRIX if op.startswith(MONEY_PATH)}
    assert ops == set(TABLE), "a new operation of the money path needs its row here"
    for op, roles in TABLE.items():
        assert {str(r) for r in MATRIX[op]} == roles, op


def _guarded_routes():
    """Every page route of the money path's apps with the operation its view declares (@guard)."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                op = getattr(p.callback, "operation", None)
                if op and op.startswith(MONEY_PATH):
                    out.append(re.sub(r"<\w+:\w+>", str(MISSING), "/" + prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(out))


ROUTES = _guarded_routes()


# Writes a page posts back to itself, under a second operation checked in the view (not its @guard).
POSTED = {"/acceptance/projects/999999/": "acceptance.inspect", "/funds/budgets/": "funds.budget"}


def test_the_routes_cover_every_operation_with_a_page():
    ops = {get_resolver().resolve(url).func.operation for url in ROUTES} | set(POSTED.values())
    # funds.notice is run by the notice pages (notice.publish/objection) through funds' services.
    assert ops == set(TABLE) - {"funds.notice"}, set(TABLE) - ops
    assert set(POSTED) <= set(ROUTES) and len(ROUTES) >= 40


@pytest.mark.parametrize("role", ROLES)
def test_role_by_route(client, users, region, role):
    """Every guarded page of the money path, as each role: GET (POST where the page takes only POST)
    answers 403 exactly for the roles outside the page's operation; a page's own write likewise."""
    client.force_login(users[role])
    for url in ROUTES:
        op = get_resolver().resolve(url).func.operation
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url).status_code
        if role in TABLE[op]:
            assert status != 403, (role, url, op)
        else:
            assert status == 403, (role, url, op, status)
    # The acceptance page of a real project (a missing one is 404 to everyone, before the write's check).
    # A role without the write is refused (403) or sent back to the page (302), and nothing is written.
    project = ProjectFactory(enterprise=users["_own_enterprise"], status="completed")
    for url, op in POSTED.items():
        before = (Acceptance.objects.count(), Budget.objects.count())
        status = client.post(url.replace(str(MISSING), str(project.pk))).status_code
        if role in TABLE[op]:
            assert status != 403, (role, url, op)
        else:
            assert status in (302, 403), (role, url, op, status)
        assert (Acceptance.objects.count(), Budget.objects.count()) == before


@pytest.fixture
def theirs(users, region, settings, tmp_path):
    """Another enterprise (same county) with its application, its invoice and a money item."""
    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"
    other = EnterpriseFactory(region=region)
    author = make_user("other_ent", Role.ENTERPRISE, credit_code=other.credit_code)
    project = ProjectFactory(enterprise=other, status="completed")
    app = incentives_services.application_create(
        user=author, project=project, claimed_equipment_investment_yuan=Decimal("1000000"),
        claimed_fixed_asset_investment_yuan=Decimal("2000000"), at=timezone.now(),
    )  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = attachment_store(
        user=author, owner=app, kind="invoice",
        upload=SimpleUploadedFile("发票.pdf", files.PDF, content_type="application/pdf"), at=timezone.now(),
    )  # fmt: skip
    item = propose(users["office"], project, "50000.00")
    return {"app": app, "invoice": invoice, "item": item}


def test_an_enterprise_opening_another_enterprise_s_records_gets_404(users, theirs, client_for):
    c = client_for("enterprise")
    app, invoice, item = theirs["app"], theirs["invoice"], theirs["item"]
    for url in (
        f"/applications/{app.pk}/",
        f"/attachments/{invoice.pk}/",
        f"/funds/items/{item.pk}/",
        f"/api/v1/applications/{app.pk}",
    ):
        assert c.get(url).status_code == 404, url
    # …and the same county's clerk and the office do see them (the 404 is row level, not a broken link).
    for role in ("clerk", "office"):
        c = client_for(role)
        assert c.get(f"/applications/{app.pk}/").status_code == 200
        assert c.get(f"/attachments/{invoice.pk}/").status_code == 200


def test_the_maker_of_a_batch_cannot_approve_it_through_the_page(users, region, client_for):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    item = propose(users["office"], ProjectFactory(enterprise__region=region), "80000.00")
    maker = users["office"]
    batch = funds_services.batch_prepare(user=maker, title="第一批", items=[item], at=AT)
    maker.role = Role.FINANCE  # the same person, now holding the checker's role too
    maker.save(update_fields=["role"])
    c = client_for("office")
    page = c.get(f"/funds/batches/{batch.pk}/").content.decode()
    assert f"/funds/items/{item.pk}/decide/" not in page  # no approve button for the maker
    r = c.post(f"/funds/items/{item.pk}/decide/", {"action": "approve", "version": 1}, follow=True)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and item.decided_by is None
    assert r.status_code == 403  # refused (and audited) as the service refuses the maker
    # The other finance user may.
    c = client_for("finance")
    c.post(f"/funds/items/{item.pk}/decide/", {"action": "approve", "version": item.version})
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED and item.decided_by == users["finance"]
