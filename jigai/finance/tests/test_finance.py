"""Finance support (3.4): needs, loans, 应贷尽贷, who sees what on every path, claims and the fund."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.accounts.permissions import MATRIX
from jigai.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent
from jigai.finance import access, selectors, services
from jigai.finance.models import ClaimStatus, CompensationFund, FinancingNeed, FundEntry, Loan, NeedStatus

from .conftest import AT

pytestmark = pytest.mark.django_db


def api(client, method, url, **data):
    if method == "get":
        return client.get(f"/api/v1/finance{url}", data)
    return client.post(f"/api/v1/finance{url}", data, content_type="application/json")


# --- needs and loans ----------------------------------------------------------------------------------


def test_a_loan_that_reaches_the_need_meets_it_and_a_partial_one_leaves_it_open(fin):
    assert (
        fin["needs"]["利川项目"].__class__.objects.get(pk=fin["needs"]["利川项目"].pk).status
        == NeedStatus.MET
    )
    own = FinancingNeed.objects.get(pk=fin["needs"]["本企业技改项目"].pk)
    assert own.status == NeedStatus.OPEN
    assert services.met_amount(own) == Decimal("3000000.00")
    assert fin["loan_a"].project == fin["own"] and fin["loan_a"].bank == fin["bank_a"]


def test_a_met_need_takes_no_more_loans_and_bad_input_names_the_field(fin, users):
    met = fin["needs"]["利川项目"]
    with pytest.raises(NotFoundError):  # bank A cannot see a need bank B met
        services.loan_record(
            user=users["bank"], need=met, amount_yuan=1, rate_percent=4, issued_on=dt.date(2019, 6, 1),
            maturity_on=dt.date(2020, 6, 1), at=AT,
        )  # fmt: skip
    before = Loan.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.loan_record(
            user=users["bank"], need=fin["needs"]["同县他企项目"], amount_yuan="-5", rate_percent="99",
            issued_on=dt.date(2019, 6, 1), maturity_on=dt.date(2019, 5, 1), at=AT,
        )  # fmt: skip
    errors = exc.value.errors
    assert set(errors) == {"amount_yuan", "rate_percent", "maturity_on"}
    assert "年利率" in errors["rate_percent"][0] and "到期日期须晚于放款日期" in errors["maturity_on"]
    assert Loan.objects.count() == before


def test_a_bank_user_without_a_bank_sees_nothing_and_cannot_record(fin):
    from conftest import make_user

    lost = make_user("bank_lost", "bank")
    assert not access.needs(lost).exists() and not access.loans(lost).exists()
    with pytest.raises(ValidationError) as exc:
        services.loan_record(
            user=lost, need=fin["needs"]["同县他企项目"], amount_yuan=1, rate_percent=4,
            issued_on=dt.date(2019, 6, 1), maturity_on=dt.date(2020, 6, 1), at=AT,
        )  # fmt: skip
    assert "尚未关联银行" in exc.value.errors["bank"][0]


def test_an_enterprise_posts_a_need_for_its_own_project_only(fin, users):
    ent = users["enterprise"]
    n = services.need_post(
        user=ent, project=fin["own"], amount_yuan=Decimal("1000000"), purpose="流动资金", term_months=12,
        posted_on=dt.date(2019, 7, 1), at=AT,
    )  # fmt: skip
    assert n.posted_by == ent
    with pytest.raises(PermissionDeniedError):
        services.need_post(
            user=ent, project=fin["same_county"], amount_yuan=1, purpose="x", term_months=12,
            posted_on=dt.date(2019, 7, 1), at=AT,
        )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.need_post(
            user=ent, project=fin["own"], amount_yuan=Decimal("60000000"), purpose="", term_months=0,
            posted_on=dt.date(2019, 7, 1), at=AT,
        )  # fmt: skip
    assert set(exc.value.errors) == {"amount_yuan", "purpose", "term_months"}
    assert "项目总投资" in exc.value.errors["amount_yuan"][0]


# --- who sees what -----------------------------------------------------------------------------------


def names(qs):
    return sorted(x.project.name for x in qs)


def test_each_role_sees_its_own_needs_and_loans(fin, users):
    bank, bank_b = users["bank"], fin["bank_b_user"]
    # A bank: the open needs (any county) and the ones its loans met; its own loans only.
    assert names(access.needs(bank)) == ["同县他企项目", "本企业技改项目"]
    assert names(access.needs(bank_b)) == ["利川项目", "同县他企项目", "本企业技改项目"]
    assert [loan.pk for loan in access.loans(bank)] == [fin["loan_a"].pk]
    assert [loan.pk for loan in access.loans(bank_b)] == [fin["loan_b"].pk]
    # An enterprise: its own project's need and loan.
    assert names(access.needs(users["enterprise"])) == ["本企业技改项目"]
    assert [loan.pk for loan in access.loans(users["enterprise"])] == [fin["loan_a"].pk]
    # A clerk: their county's (恩施市), not 利川.
    assert names(access.needs(users["clerk"])) == ["同县他企项目", "本企业技改项目"]
    assert [loan.pk for loan in access.loans(users["clerk"])] == [fin["loan_a"].pk]
    for role in ("office", "finance", "leader"):
        assert access.loans(users[role]).count() == 2 and access.needs(users[role]).count() == 3
    for role in ("auditor", "sysadmin", "security_admin"):
        assert not access.loans(users[role]).exists()


def test_another_banks_loan_is_a_404_on_page_api_and_export(fin, users, client):
    client.force_login(users["bank"])
    other = fin["loan_b"].pk
    assert client.get(f"/finance/loans/{other}/").status_code == 404
    assert client.get(f"/finance/loans/{fin['loan_a'].pk}/").status_code == 200
    r = api(client, "get", f"/loans/{other}")
    assert r.status_code == 404 and r.json()["detail"]
    assert [x["id"] for x in api(client, "get", "/loans").json()] == [fin["loan_a"].pk]
    assert AuditEvent.objects.filter(event="access_denied", object_id=str(other)).exists()
    page = client.get("/finance/loans/").content.decode()
    assert "本企业技改项目" in page and "利川项目" not in page
    from io import BytesIO

    from openpyxl import load_workbook

    r = client.get("/finance/loans.xlsx")
    assert r.status_code == 200
    cells = [c.value for row in load_workbook(BytesIO(r.content)).active.iter_rows() for c in row]
    assert "本企业技改项目" in cells and "利川项目" not in cells


def test_a_clerk_gets_a_404_for_another_countys_need_and_loan(fin, users, client):
    client.force_login(users["clerk"])
    assert client.get(f"/finance/needs/{fin['needs']['利川项目'].pk}/").status_code == 404
    assert client.get(f"/finance/loans/{fin['loan_b'].pk}/").status_code == 404
    assert api(client, "get", f"/needs/{fin['needs']['利川项目'].pk}").status_code == 404
    assert client.get(f"/finance/needs/{fin['needs']['同县他企项目'].pk}/").status_code == 200


def test_an_enterprise_sees_its_own_need_and_not_its_neighbours(fin, users, client):
    client.force_login(users["enterprise"])
    assert client.get(f"/finance/needs/{fin['needs']['同县他企项目'].pk}/").status_code == 404
    page = client.get("/finance/needs/").content.decode()
    assert "本企业技改项目" in page and "同县他企项目" not in page
    assert client.get("/finance/scores/").status_code == 403  # scores are the banks' assessment


def test_a_bank_records_a_loan_through_the_api_and_not_for_another_bank(fin, users, client):
    client.force_login(users["bank"])
    need = fin["needs"]["同县他企项目"]
    r = api(
        client, "post", "/loans", need_id=need.pk, amount_yuan="5000000.00", rate_percent="4.2",
        issued_on="2019-06-03", maturity_on="2021-06-03",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["bank"] == "中国农业银行恩施分行"
    assert FinancingNeed.objects.get(pk=need.pk).status == NeedStatus.MET
    r = api(client, "post", "/loans", need_id=need.pk, amount_yuan="1.00", rate_percent="4.2",
            issued_on="2019-06-03", maturity_on="2021-06-03")  # fmt: skip
    assert r.status_code == 400 and "已满足" in r.json()["detail"] + str(r.json()["errors"])


@pytest.mark.parametrize(
    "role,status",
    [("office", 200), ("finance", 200), ("leader", 200), ("clerk", 200), ("enterprise", 200), ("bank", 200),
     ("auditor", 403), ("sysadmin", 403), ("security_admin", 403)],
)  # fmt: skip
def test_the_finance_pages_open_for_the_roles_that_may_see_them(fin, users, client, role, status):
    client.force_login(users[role])
    for url in (
        "/finance/",
        "/finance/needs/",
        "/finance/loans/",
        "/finance/meetings/",
        "/finance/coverage/",
    ):
        assert client.get(url).status_code == status, url


def test_a_leader_reads_but_cannot_write(fin, users, client):
    client.force_login(users["leader"])
    r = client.post("/finance/needs/", {"project": fin["own"].pk, "amount_wan": "10", "purpose": "x",
                                        "term_months": 12, "posted_on": "2019-07-01"})  # fmt: skip
    assert r.status_code in (302, 403)
    assert FinancingNeed.objects.count() == 3
    r = api(client, "post", "/needs", project_id=fin["own"].pk, amount_yuan="10.00", purpose="x", term_months=12,
            posted_on="2019-07-01")  # fmt: skip
    assert r.status_code == 403


def test_every_finance_operation_is_in_the_matrix_and_only_views_are_read_only():
    ops = [op for op in MATRIX if op.startswith("finance.")]
    assert "finance.view" in ops and "finance.loan.record" in ops
    for op in ops:
        if op not in ("finance.view", "finance.score.view", "finance.fund.view", "finance.export"):
            assert "leader" not in MATRIX[op], op


# --- 应贷尽贷 and scores ------------------------------------------------------------------------------


def test_coverage_per_unit_and_per_bank(fin, users):
    data = selectors.coverage(users["office"], 2019)
    enshi = next(r for r in data["units"] if r.label == "恩施市")
    lichuan = next(r for r in data["units"] if r.label == "利川市")
    assert (enshi.needs, enshi.needed_yuan, enshi.met_yuan, enshi.ratio) == (
        2,
        Decimal("10000000.00"),
        Decimal("3000000.00"),
        Decimal("30.0"),
    )
    assert (lichuan.ratio, lichuan.met_needs) == (Decimal("100.0"), 1)
    assert data["total"].ratio == Decimal("53.3")  # 8,000,000 / 15,000,000
    assert [b.label for b in data["banks"]] == ["湖北银行", "农行"]
    # A bank sees its own row only; a clerk their county.
    mine = selectors.coverage(users["bank"], 2019)
    assert [b.label for b in mine["banks"]] == ["农行"] and mine["units"] == [] and mine["total"] is None
    assert [u.label for u in selectors.coverage(users["clerk"], 2019)["units"]] == ["恩施市"]


def test_scores_rank_banks_with_their_components_and_a_bank_sees_only_its_own(fin, users):
    data = selectors.scores(users["office"], 2019)
    rows = {r.name: r for r in data["rows"]}
    b, a = rows["湖北银行"], rows["农行"]
    # amount 5/8 vs 3/8, projects 1/2 each, needs 5/8 vs 3/8, no intentions:
    # B = 100 × (0.4 × 0.625 + 0.2 × 0.5 + 0.3 × 0.625) = 53.75; A = 100 × (0.15 + 0.1 + 0.1125) = 36.25
    assert (b.rank, b.score, a.rank, a.score) == (1, Decimal("53.75"), 2, Decimal("36.25"))
    assert a.points == {
        "amount": Decimal("15.00"),
        "projects": Decimal("10.00"),
        "needs": Decimal("11.25"),
        "intentions": Decimal("0.00"),
    }
    assert [u.name for u in data["used"]] == [
        f"3.4.score_weight_{c}" for c in ("amount", "projects", "needs", "intentions")
    ]
    own = selectors.scores(users["bank"], 2019)["rows"]
    assert [(r.name, r.rank) for r in own] == [("农行", 2)]


def test_the_api_gives_a_bank_its_own_score_only(fin, users, client):
    client.force_login(users["bank"])
    r = api(client, "get", "/scores", year=2019)
    assert r.status_code == 200
    assert [(i["bank"], i["score"], i["rank"]) for i in r.json()["items"]] == [("农行", "36.25", 2)]
    assert len(r.json()["items"][0]["parts"]) == 4


# --- the compensation fund ---------------------------------------------------------------------------


def file_claim(fin, users, principal="2000000"):
    return services.claim_file(
        user=users["bank"], loan=fin["loan_a"], defaulted_on=dt.date(2019, 5, 20),
        outstanding_principal_yuan=Decimal(principal), reason="企业停产，连续三期未还本付息", at=AT,
    )  # fmt: skip


def test_a_claim_is_the_principal_times_the_ratio_and_is_paid_only_from_a_sufficient_balance(fin, users):
    claim = file_claim(fin, users)
    assert (claim.ratio, claim.amount_yuan) == (Decimal("0.5000"), Decimal("1000000.00"))
    assert Loan.objects.get(pk=fin["loan_a"].pk).defaulted_on == dt.date(2019, 5, 20)
    with pytest.raises(ConflictError):  # one live claim per loan
        file_claim(fin, users, "1000")
    claim = services.claim_review(
        user=users["office"], claim=claim, approve=True, note="", expected_version=1, at=AT
    )
    services.fund_contribute(
        user=users["finance"],
        amount_yuan=Decimal("600000"),
        source="州财政",
        entry_date=dt.date(2019, 6, 1),
        at=AT,
    )
    with pytest.raises(ConflictError) as exc:
        services.claim_pay(
            user=users["finance"], claim=claim, paid_on=dt.date(2019, 6, 2), expected_version=2, at=AT
        )
    assert "余额不足" in str(exc.value) and "600,000.00" in str(exc.value)
    assert CompensationFund.objects.get().balance_yuan == Decimal("600000.00")
    assert FundEntry.objects.count() == 1
    services.fund_contribute(
        user=users["finance"],
        amount_yuan=Decimal("400000"),
        source="恩施市财政",
        entry_date=dt.date(2019, 6, 3),
        at=AT,
    )
    entry = services.claim_pay(
        user=users["finance"], claim=claim, paid_on=dt.date(2019, 6, 4), expected_version=2, at=AT
    )
    assert entry.balance_after_yuan == Decimal("0.00")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    with pytest.raises(ConflictError):
        services.claim_pay(
            user=users["finance"], claim=claim, paid_on=dt.date(2019, 6, 4), expected_version=3, at=AT
        )


def test_only_the_lending_bank_claims_and_a_refusal_needs_its_reason(fin, users):
    with pytest.raises(NotFoundError):
        services.claim_file(
            user=fin["bank_b_user"], loan=fin["loan_a"], defaulted_on=dt.date(2019, 5, 20),
            outstanding_principal_yuan=1, reason="x", at=AT,
        )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        file_claim(fin, users, "3000000.01")
    assert "未偿本金不能大于贷款金额" in exc.value.errors["outstanding_principal_yuan"][0]
    claim = file_claim(fin, users)
    with pytest.raises(ValidationError):
        services.claim_review(
            user=users["office"], claim=claim, approve=False, note=" ", expected_version=1, at=AT
        )
    with pytest.raises(PermissionDeniedError):
        services.claim_review(
            user=users["finance"], claim=claim, approve=True, note="", expected_version=1, at=AT
        )


def test_guarantee_policy_subsidy_within_premium(fin, users):
    with pytest.raises(ValidationError) as exc:
        services.policy_record(
            user=users["finance"], loan=fin["loan_a"], policy_no="P-1", insurer="人保财险恩施分公司",
            amount_insured_yuan=Decimal("2400000"), premium_yuan=Decimal("24000"), premium_subsidy_yuan=Decimal("30000"),
            start_on=dt.date(2019, 4, 1), end_on=dt.date(2022, 4, 1), at=AT,
        )  # fmt: skip
    assert "保费补贴不能大于保费" in exc.value.errors["premium_subsidy_yuan"]
    p = services.policy_record(
        user=users["finance"], loan=fin["loan_a"], policy_no="P-1", insurer="人保财险恩施分公司",
        amount_insured_yuan=Decimal("2400000"), premium_yuan=Decimal("24000"), premium_subsidy_yuan=Decimal("12000"),
        start_on=dt.date(2019, 4, 1), end_on=dt.date(2022, 4, 1), at=AT,
    )  # fmt: skip
    assert list(access.policies(users["bank"])) == [p]
    assert not access.policies(fin["bank_b_user"]).exists()


# --- to-dos ------------------------------------------------------------------------------------------


def test_open_needs_wait_on_banks_and_claims_on_the_office_then_finance(fin, users):
    from jigai.core.todo import todos_for

    keys = {t.key for t in todos_for(users["bank"], dt.date(2019, 6, 10))}
    assert f"finance.need.{fin['needs']['同县他企项目'].pk}.respond" in keys
    assert f"finance.need.{fin['needs']['利川项目'].pk}.respond" not in keys  # met
    item = next(
        t for t in todos_for(users["bank"], dt.date(2019, 6, 10)) if t.key.startswith("finance.need.")
    )
    assert item.due_date() == dt.date(2019, 3, 15)  # 10 working days after 2019-03-01
    assert not [t for t in todos_for(users["clerk"], dt.date(2019, 6, 10)) if t.key.startswith("finance.")]
    claim = file_claim(fin, users)
    assert f"finance.claim.{claim.pk}.review" in {
        t.key for t in todos_for(users["office"], dt.date(2019, 6, 10))
    }
    services.claim_review(user=users["office"], claim=claim, approve=True, note="", expected_version=1, at=AT)
    assert f"finance.claim.{claim.pk}.pay" in {
        t.key for t in todos_for(users["finance"], dt.date(2019, 6, 10))
    }
    assert not [
        t for t in todos_for(users["office"], dt.date(2019, 6, 10)) if t.key.startswith("finance.claim")
    ]


def test_weights_that_do_not_add_up_to_one_are_refused_clearly_not_rescaled(fin, users, client, settings):
    settings.JIGAI_PROGRAMME_OVERRIDES = ["3.4.score_weight_amount@2019=0.5"]
    client.force_login(users["office"])
    r = api(client, "get", "/scores", year=2019)
    assert r.status_code == 400
    assert "四项权重之和应为1" in str(r.json())
    r = client.get("/finance/scores/?year=2019", HTTP_REFERER="/finance/")
    assert r.status_code in (302, 400)


def test_the_shipped_weights_add_up_to_one_in_every_period():
    from jigai.policy.params import default_parameters

    params = default_parameters()
    starts = {
        p.start
        for c in ("amount", "projects", "needs", "intentions")
        for p in params[f"3.4.score_weight_{c}"].periods
    }
    for start in starts:
        total = sum(
            params.value_on(f"3.4.score_weight_{c}", start)
            for c in ("amount", "projects", "needs", "intentions")
        )
        assert total == 1, start
