"""Role × operation for every write of the money path, at the service (the pages and API guard the
same operations): exactly the roles in the matrix may, every other role is refused."""

import pytest

from conftest import ProjectFactory
from jigai.accounts.permissions import MATRIX
from jigai.core.errors import PermissionDeniedError
from jigai.funds import services

from .helpers import AT, allocate, approved, payable, propose

pytestmark = pytest.mark.django_db

ROLES = (
    "office",
    "finance",
    "clerk",
    "enterprise",
    "leader",
    "bank",
    "auditor",
    "security_admin",
    "sysadmin",
)
ALLOWED = {
    "funds.propose": {"office"},
    "funds.prepare": {"office"},
    "funds.approve": {"finance"},
    "funds.notice": {"office"},
    "funds.pay": {"finance"},
    "funds.budget": {"finance"},
    "funds.view": {"office", "finance", "clerk", "enterprise", "leader"},
    "funds.ledger": {"office", "finance", "clerk", "leader"},
}


def test_the_matrix_is_what_the_table_says():
    for op, roles in ALLOWED.items():
        assert {str(r) for r in MATRIX[op]} == roles, op


def _calls(users, region):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    project = ProjectFactory(enterprise=users["_own_enterprise"])
    submitted = propose(users["office"], project, source="s:submitted")
    services.batch_prepare(user=users["office"], title="第一批", items=[submitted], at=AT)
    fresh = propose(users["office"], project, source="s:fresh")
    ok = propose(users["office"], project, source="s:ok")
    approved(users, ok)
    ok.refresh_from_db()
    payable(users, ok)
    ok.refresh_from_db()
    ready = propose(users["office"], project, source="s:ready")
    approved(users, ready)
    ready.refresh_from_db()
    return {
        "funds.propose": lambda u: propose(u, project, source="s:new"),
        "funds.prepare": lambda u: services.batch_prepare(user=u, title="第二批", items=[fresh], at=AT),
        "funds.approve": lambda u: services.item_approve(user=u, item=submitted, at=AT),
        "funds.notice": lambda u: services.item_notice_start(
            user=u, item=ready, notice_id=1, ends_on=AT.date(), at=AT
        ),
        "funds.pay": lambda u: services.payment_record(
            user=u,
            item=ok,
            level="prefecture",
            amount_yuan=ok.prefecture_share_yuan,
            paid_on=AT.date(),
            voucher_no="记-1",
            at=AT,
        ),
        "funds.budget": lambda u: services.budget_allocate(
            user=u, year=2019, level="prefecture", allocated_yuan="2000000", at=AT
        ),
    }


@pytest.mark.parametrize(
    "op", ["funds.propose", "funds.prepare", "funds.approve", "funds.notice", "funds.pay", "funds.budget"]
)
def test_role_by_operation(users, region, op):
    call = _calls(users, region)[op]
    for role in ROLES:
        if role in ALLOWED[op]:
            continue
        with pytest.raises(PermissionDeniedError):
            call(users[role])
    for role in ALLOWED[op]:
        call(users[role])  # the allowed role succeeds
