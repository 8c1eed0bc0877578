"""Pages of the money path: role × operation, row level (a clerk their unit, an enterprise its own,
another's 404), the maker refused as checker, the budget chart, the ledger export, the payment notice."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core.models import AuditEvent
from jigai.funds.models import Budget, Item, ItemState, Payment

from .helpers import AT, allocate, approved, pay, payable, propose

pytestmark = pytest.mark.django_db

ROLES = ("office", "finance", "clerk", "enterprise", "leader", "bank", "auditor", "sysadmin")
# page → roles that may open it (everyone else 403)
PAGES = {
    "/funds/": {"office", "finance", "clerk", "enterprise", "leader"},
    "/funds/batches/": {"office", "finance", "clerk", "leader"},
    "/funds/budgets/?year=2019": {"office", "finance", "clerk", "leader"},
    "/funds/ledger/?year=2019": {"office", "finance", "clerk", "leader"},
}


@pytest.fixture
def book(users, region, other_region):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    allocate(users["finance"], 2019, "1000000", region=other_region)
    own = propose(users["office"], ProjectFactory(enterprise=users["_own_enterprise"]), "100000.00")
    here = propose(users["office"], ProjectFactory(enterprise__region=region), "60000.00")
    there = propose(
        users["office"], ProjectFactory(enterprise=EnterpriseFactory(region=other_region)), "80000.00"
    )
    approved(users, own, here, there)
    for i in (own, here, there):
        i.refresh_from_db()
    payable(users, own)
    payment = pay(users, own, "prefecture")
    return {"own": own, "here": here, "there": there, "payment": payment}


@pytest.mark.parametrize("role", ROLES)
def test_role_by_page(client, users, book, role):
    client.force_login(users[role])
    for url, allowed in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (url, role, status)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("office", {"own", "here", "there"}),
        ("finance", {"own", "here", "there"}),
        ("leader", {"own", "here", "there"}),
        ("clerk", {"own", "here"}),
        ("enterprise", {"own"}),
    ],
)
def test_row_level_on_every_path(client, users, book, role, visible):
    client.force_login(users[role])
    listing = client.get("/funds/").content.decode()
    for name, item in book.items():
        if name == "payment":
            continue
        shown = f'href="/funds/items/{item.pk}/"' in listing
        assert shown == (name in visible), (role, name)
        status = client.get(f"/funds/items/{item.pk}/").status_code
        assert status == (200 if name in visible else 404), (role, name)
        status = client.get(f"/funds/enterprises/{item.enterprise_id}/").status_code
        assert status == (200 if name in visible else 404), (role, name, "statement")
    assert client.get(f"/funds/payments/{book['payment'].pk}/notice.docx").status_code == 200
    if role == "enterprise":
        assert AuditEvent.objects.filter(event="access_denied", object_type="funds.item").exists()


def test_a_clerk_sees_only_their_unit_s_budget_and_ledger(client, users, book, region, other_region):
    client.force_login(users["clerk"])
    page = client.get("/funds/budgets/?year=2019").content.decode()
    assert region.name in page and other_region.name not in page and "州级</td>" not in page
    r = client.get("/funds/ledger/?year=2019&format=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    names = [row[2] for row in wb["奖补事项"].iter_rows(min_row=3, values_only=True)]
    assert book["there"].enterprise.name not in names and book["here"].enterprise.name in names


def test_the_maker_cannot_approve_their_batch_through_the_page(client, users, region):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    item = propose(users["office"], ProjectFactory(enterprise__region=region))
    client.force_login(users["office"])
    r = client.post("/funds/batches/prepare/", {"item": [item.pk], "title": "第一批"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    users["office"].role = "finance"  # the same person, now in the finance role
    users["office"].save()
    r = client.post(f"/funds/items/{item.pk}/decide/", {"action": "approve", "version": item.version})
    assert r.status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    client.force_login(users["finance"])
    page = client.get(f"/funds/batches/{item.batch_id}/").content.decode()
    assert 'value="approve"' in page
    client.post(f"/funds/items/{item.pk}/decide/", {"action": "approve", "version": item.version})
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED


def test_budget_page_allocates_and_draws_its_chart_without_inline_script(client, users, book):
    client.force_login(users["finance"])
    r = client.post("/funds/budgets/?year=2019", {"year": 2019, "unit": "", "allocated_yuan": "1200000"})
    assert r.status_code == 302
    assert Budget.objects.get(year=2019, level="prefecture").allocated_yuan == Decimal("1200000.00")
    page = client.get("/funds/budgets/?year=2019").content.decode()
    assert 'id="chart-data"' in page and "funds/budgets.js" in page and "echarts.min.js" in page
    assert "<script>" not in page  # CSP: no inline script
    client.post("/funds/budgets/?year=2019", {"year": 2019, "unit": "", "allocated_yuan": "1"})
    assert Budget.objects.get(year=2019, level="prefecture").allocated_yuan == Decimal("1200000.00")
    client.force_login(users["office"])
    assert client.post("/funds/budgets/?year=2019", {"allocated_yuan": "5"}).status_code == 403


def test_pay_and_reverse_through_the_page(client, users, book):
    item = book["own"]
    client.force_login(users["finance"])
    r = client.post(
        f"/funds/items/{item.pk}/pay/",
        {
            "level": "county",
            "amount_yuan": str(item.county_share_yuan),
            "paid_on": AT.date().isoformat(),
            "voucher_no": "记-9",
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.PAID
    page = client.get(f"/funds/items/{item.pk}/").content.decode()
    assert "已拨付" in page and "资金拨付通知" in page
    p = Payment.objects.get(item=item, level="county")
    client.post(f"/funds/payments/{p.pk}/reverse/", {"reason": "凭证号录错"})
    item.refresh_from_db()
    assert item.state == ItemState.REVERSED
    r = client.get(f"/funds/payments/{p.pk}/notice.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(event="export", object_type="funds.payment").exists()


def test_ledger_export_reconciles_with_the_budgets(client, users, book):
    client.force_login(users["finance"])
    page = client.get("/funds/ledger/?year=2019").content.decode()
    assert "台账与预算相符" in page
    r = client.get("/funds/ledger/?year=2019&format=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["预算执行"].iter_rows(min_row=3, values_only=True))
    assert all(row[7] == "相符" for row in rows)
    paid = sum(Decimal(str(row[5])) for row in rows)
    assert paid == book["payment"].amount_yuan
    assert Item.objects.count() == len(list(wb["奖补事项"].iter_rows(min_row=3)))
