"""/api/v1/funds and `jigai ledger`: the same permissions, validation and audit as the pages."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import EnterpriseFactory, ProjectFactory
from jigai.api.tests.test_errors import bearer
from jigai.core.models import AuditEvent
from jigai.funds.models import Item, ItemState

from .helpers import AT, allocate, approved, payable, propose

pytestmark = pytest.mark.django_db


def api(client, user, method, url, body=None):
    kw = bearer(user)
    if body is not None:
        return getattr(client, method)(f"/api/v1/funds{url}", body, content_type="application/json", **kw)
    return getattr(client, method)(f"/api/v1/funds{url}", **kw)


@pytest.fixture
def funded(users, region):
    allocate(users["finance"], 2019, "100000")
    allocate(users["finance"], 2019, "100000", region=region)


def test_the_whole_path_through_the_api(client, users, region, funded):
    item = propose(users["office"], ProjectFactory(enterprise__region=region), "240000.00")
    r = api(client, users["office"], "post", "/batches", {"title": "第一批", "items": [item.pk],
             "amounts": [{"item": item.pk, "amount_yuan": "250000.00", "reason": ""}]})  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == f"amount_{item.pk}"
    r = api(client, users["office"], "post", "/batches", {"title": "第一批", "items": [item.pk]})
    assert r.status_code == 201, r.content
    # the maker may not decide, whatever the path
    assert (
        api(client, users["office"], "post", f"/items/{item.pk}/decision", {"approve": True}).status_code
        == 403
    )
    r = api(
        client, users["finance"], "post", f"/items/{item.pk}/decision", {"approve": True, "reason": "同意"}
    )
    assert r.status_code == 200 and r.json()["state_label"] == "预算不足排队"
    r = api(client, users["finance"], "post", "/budgets", {"year": 2019, "allocated_yuan": "200000"})
    assert r.status_code == 200
    r = api(
        client,
        users["finance"],
        "post",
        "/budgets",
        {"year": 2019, "unit": region.code, "allocated_yuan": "200000"},
    )
    assert r.status_code == 200 and r.json()["committed_yuan"] == "120000.00"
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    payable(users, item)
    body = {"level": "prefecture", "amount_yuan": "120000.00", "paid_on": "2020-03-02", "voucher_no": "记-1"}
    r = api(client, users["finance"], "post", f"/items/{item.pk}/payments", body)
    assert r.status_code == 201, r.content
    again = api(client, users["finance"], "post", f"/items/{item.pk}/payments", body)
    assert again.status_code == 409 and "已经拨付" in again.json()["detail"]
    r = api(client, users["finance"], "post", f"/payments/{r.json()['id']}/reversal", {"reason": "退回"})
    assert r.status_code == 200 and r.json()["reversed"]
    r = api(client, users["finance"], "get", "/ledger?year=2019")
    assert r.status_code == 200 and r.json()["reconciled"]
    assert AuditEvent.objects.filter(event="payment_reverse", source="api").exists()


@pytest.mark.parametrize(
    ("role", "list_status", "ledger_status", "pay_status"),
    [
        ("office", 200, 200, 403),
        ("finance", 200, 200, 404),
        ("clerk", 200, 200, 403),
        ("enterprise", 200, 403, 403),
        ("leader", 200, 200, 403),
        ("bank", 403, 403, 403),
        ("auditor", 403, 403, 403),
    ],
)
def test_role_by_route(client, users, role, list_status, ledger_status, pay_status):
    assert api(client, users[role], "get", "/items").status_code == list_status
    assert api(client, users[role], "get", "/ledger?year=2019").status_code == ledger_status
    body = {"level": "prefecture", "amount_yuan": "1.00", "paid_on": "2020-03-02", "voucher_no": "x"}
    assert api(client, users[role], "post", "/items/999999/payments", body).status_code == pay_status


def test_another_enterprise_s_item_answers_404(client, users, other_region):
    other = propose(users["office"], ProjectFactory(enterprise=EnterpriseFactory(region=other_region)))
    own = propose(users["office"], ProjectFactory(enterprise=users["_own_enterprise"]))
    assert api(client, users["enterprise"], "get", f"/items/{other.pk}").status_code == 404
    assert api(client, users["enterprise"], "get", f"/items/{own.pk}").status_code == 200
    assert api(client, users["clerk"], "get", f"/items/{other.pk}").status_code == 404
    ids = [i["id"] for i in api(client, users["clerk"], "get", "/items").json()["items"]]
    assert own.pk in ids and other.pk not in ids


def run_ledger(*args):
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


def test_the_ledger_command(users, region, other_region, funded):
    a = propose(users["office"], ProjectFactory(enterprise__region=region), "80000.00")
    b = propose(
        users["office"], ProjectFactory(enterprise=EnterpriseFactory(region=other_region)), "10000.00"
    )
    approved(users, a)
    data = json.loads(run_ledger("2019"))
    assert {"year": 2019, "level": "州", "unit": "422800", "allocated_yuan": "100000.00",
            "committed_yuan": "40000.00", "paid_yuan": "0.00", "remaining_yuan": "60000.00"} in data["budgets"]  # fmt: skip
    items = {i["project_id"]: i for i in data["items"]}
    assert items[a.project_id] == {"project_id": a.project_id, "clause": "3.1.1", "entitled_yuan": "80000.00",
                                   "approved_yuan": "80000.00", "paid_yuan": "0.00", "state": "已批准"}  # fmt: skip
    assert items[b.project_id]["state"] == "待报批"
    text = run_ledger("2019", "--format", "csv", "--unit", region.code)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["budgets"] and rows[2][:3] == ["2019", "县市", region.code]
    assert str(b.project_id) not in [r[0] for r in rows[rows.index(["items"]) + 2 :]]
    with pytest.raises(CommandError, match="未知的报送单位"):
        run_ledger("2019", "--unit", "999999")
    assert Item.objects.get(pk=a.pk).approved_yuan == Decimal("80000.00")
    assert AT
