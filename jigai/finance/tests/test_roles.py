"""Role tests for finance (3.4): meetings and intentions, the fund, the banks page, the claim path through
the pages and the API, for bank, enterprise, clerk, office, finance and leader users."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from jigai.finance import access, selectors, services
from jigai.finance.models import (
    Bank,
    BankMembership,
    ClaimStatus,
    CompensationClaim,
    FinancingNeed,
    Intention,
)

from .conftest import AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(fin, users, region, other_region):
    office, clerk = users["office"], users["clerk"]
    prefecture = services.meeting_record(
        user=office, held_on=dt.date(2019, 4, 18), place="州经信委三楼会议室", organiser="州政府金融办",
        region=None, banks=[fin["bank_a"], fin["bank_b"]],
        enterprises=[fin["own"].enterprise, fin["far"].enterprise], at=AT,
    )  # fmt: skip
    county = services.meeting_record(
        user=clerk, held_on=dt.date(2019, 5, 8), place="恩施市政务中心", organiser="恩施市经信局", region=region,
        banks=[fin["bank_b"]], enterprises=[fin["same_county"].enterprise], at=AT,
    )  # fmt: skip
    i_own = services.intention_add(
        user=office,
        meeting=prefecture,
        bank=fin["bank_a"],
        project=fin["own"],
        amount_yuan=Decimal("2000000"),
        at=AT,
    )
    i_far = services.intention_add(
        user=office,
        meeting=prefecture,
        bank=fin["bank_b"],
        project=fin["far"],
        amount_yuan=Decimal("3000000"),
        at=AT,
    )
    i_county = services.intention_add(
        user=clerk, meeting=county, bank=fin["bank_b"], project=fin["same_county"], amount_yuan=1000000, at=AT
    )
    return {"prefecture": prefecture, "county": county, "own": i_own, "far": i_far, "county_i": i_county}


def ids(qs):
    return sorted(x.pk for x in qs)


def test_meetings_and_intentions_are_seen_by_their_parties_only(fin, users, meetings):
    m, i = meetings, meetings
    assert ids(access.meetings(users["bank"])) == [m["prefecture"].pk]  # bank A was not at the county meeting
    assert ids(access.intentions(users["bank"])) == [i["own"].pk]
    assert ids(access.intentions(fin["bank_b_user"])) == sorted([i["far"].pk, i["county_i"].pk])
    assert ids(access.meetings(users["enterprise"])) == [m["prefecture"].pk]
    assert ids(access.intentions(users["enterprise"])) == [i["own"].pk]
    assert ids(access.meetings(users["clerk"])) == sorted([m["prefecture"].pk, m["county"].pk])
    assert ids(access.intentions(users["clerk"])) == sorted([i["own"].pk, i["county_i"].pk])
    assert access.intentions(users["leader"]).count() == 3


def test_a_clerk_records_only_their_countys_meetings_and_intentions(fin, users, meetings, other_region):
    clerk = users["clerk"]
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            user=clerk, held_on=dt.date(2019, 6, 1), place="利川", organiser="利川市", region=other_region,
            banks=[fin["bank_a"]], enterprises=[fin["far"].enterprise], at=AT,
        )  # fmt: skip
    assert (
        "只能登记本县市" in exc.value.errors["region"][0] and "利川企业" in exc.value.errors["enterprises"][0]
    )
    with pytest.raises(PermissionDeniedError):  # another county's project, even at a meeting the clerk sees
        services.intention_add(
            user=clerk,
            meeting=meetings["prefecture"],
            bank=fin["bank_b"],
            project=fin["far"],
            amount_yuan=1,
            at=AT,
        )
    with pytest.raises(ValidationError) as exc:  # bank A was not at the county meeting
        services.intention_add(
            user=clerk,
            meeting=meetings["county"],
            bank=fin["bank_a"],
            project=fin["same_county"],
            amount_yuan=1,
            at=AT,
        )
    assert "未参加本次对接会" in exc.value.errors["bank"][0]
    for role in ("bank", "enterprise", "leader"):
        with pytest.raises(PermissionDeniedError):
            services.meeting_record(
                user=users[role], held_on=dt.date(2019, 6, 1), place="x", organiser="x", region=None,
                banks=[fin["bank_a"]], enterprises=[fin["own"].enterprise], at=AT,
            )  # fmt: skip


def test_a_bank_lends_on_its_own_intention_but_not_on_another_banks(fin, users, meetings):
    loan = services.loan_record(
        user=users["bank"], intention=meetings["own"], amount_yuan=Decimal("2000000"), rate_percent="4.5",
        issued_on=dt.date(2019, 6, 1), maturity_on=dt.date(2021, 6, 1), at=AT,
    )  # fmt: skip
    assert loan.project == fin["own"] and loan.need is None
    with pytest.raises(NotFoundError):
        services.loan_record(
            user=users["bank"], intention=meetings["far"], amount_yuan=1, rate_percent="4.5",
            issued_on=dt.date(2019, 6, 1), maturity_on=dt.date(2021, 6, 1), at=AT,
        )  # fmt: skip
    rows = {r.name: r for r in selectors.scores(users["office"], 2019)["rows"]}
    assert rows["农行"].components["intentions"] == Decimal("1.0000")  # lent 2,000,000 on 2,000,000 signed


def test_the_meeting_page_shows_a_bank_its_own_intentions_and_hides_other_meetings(
    fin, users, meetings, client
):
    client.force_login(users["bank"])
    assert client.get(f"/finance/meetings/{meetings['county'].pk}/").status_code == 404
    page = client.get(f"/finance/meetings/{meetings['prefecture'].pk}/").content.decode()
    assert "本企业技改项目" in page and "利川项目" not in page.split('id="intention-table"')[1]
    assert Intention.objects.count() == 3


@pytest.mark.parametrize("role,status", [("office", 200), ("finance", 200), ("leader", 200), ("bank", 403),
                                         ("enterprise", 403), ("clerk", 403)])  # fmt: skip
def test_the_fund_page_is_for_the_prefecture_only(fin, users, client, role, status):
    client.force_login(users[role])
    assert client.get("/finance/fund/").status_code == status
    assert client.get("/api/v1/finance/fund").status_code == status


def test_the_claim_path_through_the_pages(fin, users, client):
    client.force_login(users["bank"])
    r = client.post(
        f"/finance/loans/{fin['loan_a'].pk}/",
        {"form": "claim", "defaulted_on": "2019-05-20", "outstanding_principal_wan": "200", "reason": "停产"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    claim = CompensationClaim.objects.get()
    assert claim.amount_yuan == Decimal("1000000.00")
    # The other bank may not claim on it, nor even open the loan.
    client.force_login(fin["bank_b_user"])
    assert client.post(f"/finance/loans/{fin['loan_a'].pk}/", {"form": "claim"}).status_code == 404
    client.force_login(users["office"])
    client.post(f"/finance/claims/{claim.pk}/decide/", {"action": "approve", "version": 1, "note": ""})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    client.force_login(users["finance"])
    r = client.post(f"/finance/claims/{claim.pk}/decide/", {"action": "pay", "version": 2}, follow=True)
    assert "余额不足" in r.content.decode()
    client.post("/finance/fund/", {"amount_wan": "100", "source": "州财政", "entry_date": "2019-06-01"})
    client.post(f"/finance/claims/{claim.pk}/decide/", {"action": "pay", "version": 2})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    page = client.get("/finance/fund/").content.decode()
    assert "0.00 万元" in page  # 100 万元 in, 100 万元 out


def test_the_claim_path_through_the_api_refuses_the_wrong_roles(fin, users, client):
    client.force_login(users["enterprise"])
    r = client.post(f"/api/v1/finance/loans/{fin['loan_a'].pk}/claims", {"defaulted_on": "2019-05-20",
                    "outstanding_principal_yuan": "100.00", "reason": "x"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    client.force_login(users["bank"])
    r = client.post(f"/api/v1/finance/loans/{fin['loan_a'].pk}/claims", {"defaulted_on": "2019-05-20",
                    "outstanding_principal_yuan": "100.00", "reason": "停产"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["amount_yuan"] == "50.00"
    pk = r.json()["id"]
    r = client.post(
        f"/api/v1/finance/claims/{pk}/review",
        {"approve": True, "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 403
    client.force_login(users["office"])
    r = client.post(f"/api/v1/finance/claims/{pk}/review", {"approve": False, "note": "", "version": 1},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "审核意见" in str(r.json())


def test_the_office_links_a_bank_user_on_the_banks_page(fin, users, client):
    from conftest import make_user

    new = make_user("bank_new", "bank")
    client.force_login(users["office"])
    r = client.post("/finance/banks/", {"form": "member", "member": new.pk, "bank": fin["bank_b"].pk})
    assert r.status_code == 302
    assert BankMembership.objects.get(user=new).bank == fin["bank_b"]
    assert access.loans(new).get() == fin["loan_b"]
    r = client.post(
        "/finance/banks/", {"form": "member", "member": users["clerk"].pk, "bank": fin["bank_b"].pk}
    )
    assert r.status_code == 200  # a clerk is not offered; the form refuses
    client.force_login(users["bank"])
    page = client.get("/finance/banks/").content.decode()
    assert "bank_new" not in page  # a bank user sees the banks, not their users
    client.post("/finance/banks/", {"form": "bank", "name": "x银行", "short_name": "x", "kind": "state"})
    assert not Bank.objects.filter(name="x银行").exists()


def test_an_enterprise_posts_and_withdraws_a_need_on_the_page(fin, users, client):
    client.force_login(users["enterprise"])
    r = client.post("/finance/needs/", {"project": fin["own"].pk, "amount_wan": "120", "purpose": "流动资金",
                                        "term_months": 12, "posted_on": "2019-07-01"})  # fmt: skip
    assert r.status_code == 302
    need = FinancingNeed.objects.order_by("-id").first()
    assert need.amount_yuan == Decimal("1200000.00")
    r = client.post("/finance/needs/", {"project": fin["same_county"].pk, "amount_wan": "1", "purpose": "x",
                                        "term_months": 12, "posted_on": "2019-07-01"})  # fmt: skip
    assert (
        r.status_code == 200 and FinancingNeed.objects.count() == 4
    )  # the neighbour's project is not offered
    client.post(f"/finance/needs/{need.pk}/withdraw/", {"version": need.version})
    need.refresh_from_db()
    assert need.status == "withdrawn"


def test_the_api_lists_meetings_and_policies_within_scope(fin, users, meetings, client):
    services.policy_record(
        user=users["finance"], loan=fin["loan_b"], policy_no="P-B", insurer="人保财险", amount_insured_yuan=1000,
        premium_yuan=10, start_on=dt.date(2019, 5, 1), end_on=dt.date(2020, 5, 1), at=AT,
    )  # fmt: skip
    client.force_login(users["bank"])
    assert [m["place"] for m in client.get("/api/v1/finance/meetings").json()] == ["州经信委三楼会议室"]
    assert client.get("/api/v1/finance/policies").json() == []
    client.force_login(fin["bank_b_user"])
    assert [p["policy_no"] for p in client.get("/api/v1/finance/policies").json()] == ["P-B"]
    client.force_login(users["clerk"])
    assert client.get("/api/v1/finance/policies").json() == []  # a 利川 loan
    assert len(client.get("/api/v1/finance/meetings").json()) == 2
