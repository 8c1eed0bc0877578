"""Demo finance support (3.4): five banks with a user each (the demo's ``bank`` user belongs to 农行恩施分行),
three matchmaking meetings with their intentions, financing needs on projects of every unit, loans against
most of them, a compensation fund with contributions, claims (one paid, one approved, one waiting for the
office) and two guarantee policies — so every finance page has content. Every write goes through the
services (and so into the audit log)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from jigai.accounts.models import Role, User
from jigai.accounts.services import user_create
from jigai.core.models import Region
from jigai.registry.models import Enterprise, Project, ProjectStatus

from . import services
from .models import BankKind, FinancingNeed, NeedStatus

# name, short name, kind, the user who records its loans (the first is the base demo's ``bank`` user)
BANKS = (
    ("中国农业银行恩施分行", "农行恩施分行", BankKind.STATE, "bank"),
    ("中国工商银行恩施分行", "工行恩施分行", BankKind.STATE, "bank_icbc"),
    ("中国建设银行恩施分行", "建行恩施分行", BankKind.STATE, "bank_ccb"),
    ("湖北银行恩施分行", "湖北银行恩施分行", BankKind.LOCAL, "bank_hbb"),
    ("恩施农村商业银行", "恩施农商行", BankKind.LOCAL, "bank_rcb"),
)
PURPOSES = (
    "购置生产设备",
    "生产线智能化改造",
    "厂房改造及设备安装",
    "技改项目配套流动资金",
    "环保设施升级改造",
)


def _wan(value: Decimal) -> Decimal:
    """Round down to whole 10,000 yuan, as needs and loans are quoted."""
    return (value / 10000).quantize(Decimal(1), rounding="ROUND_DOWN") * 10000


def build(*, seed: int, now: dt.datetime, password: str) -> dict:
    rng = random.Random(seed + 34)
    office = User.objects.get(username="office")
    finance = User.objects.get(username="finance")
    banks, bank_users, user_rows = [], [], []
    for name, short, kind, username in BANKS:
        bank = services.bank_create(user=office, name=name, short_name=short, kind=kind, at=now)
        member = User.objects.filter(username=username).first() or user_create(
            username=username,
            password=password,
            must_change_password=False,  # a development machine only: `jigai demo` refuses production
            role=Role.BANK,
            now=now,
            display_name=f"{short} 客户经理",
            bank_name=name,
        )
        services.bank_member_set(user=office, member=member, bank=bank, at=now)
        if username != "bank":
            user_rows.append((username, str(Role.BANK.label), short))
        banks.append(bank)
        bank_users.append(member)

    # Needs: projects that were building or done in 2018–2020, a few per unit, posted before they started.
    candidates = list(
        Project.objects.filter(
            status__in=(ProjectStatus.CONSTRUCTION, ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED),
            planned_start_date__year__in=(2018, 2019, 2020),
            total_investment_yuan__gte=Decimal("5000000"),
        )
        .select_related("enterprise", "region")
        .order_by("id")
    )
    rng.shuffle(candidates)
    chosen = sorted(candidates[:45], key=lambda p: p.pk)
    needs = []
    for p in chosen:
        posted = max(dt.date(2018, 3, 20), p.planned_start_date - dt.timedelta(days=rng.randint(20, 90)))
        amount = max(
            Decimal("1000000"), _wan(p.total_investment_yuan * Decimal(rng.choice(("0.3", "0.4", "0.5"))))
        )
        clerk = User.objects.filter(role=Role.CLERK, region=p.region_id).order_by("id").first()
        needs.append(
            services.need_post(
                user=clerk or office,
                project=p,
                amount_yuan=amount,
                purpose=rng.choice(PURPOSES),
                term_months=rng.choice((12, 24, 36, 60)),
                posted_on=posted,
                at=now,
            )
        )

    # The first demo enterprise posts its own need too, so its home and its finance pages have one; no bank
    # has answered it (an overdue item on the banks' lists, not on the accountability list).
    first = User.objects.filter(role=Role.ENTERPRISE).order_by("username").first()
    own = (
        Project.objects.filter(enterprise__credit_code=first.credit_code)
        .exclude(pk__in=[n.project_id for n in needs])
        .exclude(status=ProjectStatus.TERMINATED)
        .order_by("id")
        .first()
        if first is not None
        else None
    )
    amount = min(Decimal("2000000"), _wan(own.total_investment_yuan / 2)) if own is not None else 0
    if amount > 0:
        services.need_post(
            user=first, project=own, amount_yuan=amount, purpose="购置生产设备", term_months=36,
            posted_on=dt.date(2020, 9, 1), at=now,
        )  # fmt: skip

    # Meetings: two prefecture-wide and one in 利川市; the intentions name projects with needs.
    lichuan = Region.objects.get(code="422802")
    plans = (
        (dt.date(2018, 5, 16), "恩施州民族文化中心", "州政府金融办、州经信委", None),
        (dt.date(2019, 4, 18), "州经信委三楼会议室", "州政府金融办、人行恩施州中心支行", None),
        (dt.date(2019, 9, 12), "利川市政务服务中心", "利川市人民政府", lichuan),
    )
    meetings, intentions = [], []
    for held_on, place, organiser, region in plans:
        pool = [n for n in needs if region is None or n.project.region_id == region.pk]
        pool = [n for n in pool if abs((n.posted_on - held_on).days) < 400][:8] or pool[:6]
        ents = Enterprise.objects.filter(pk__in={n.project.enterprise_id for n in pool}).order_by("id")
        m = services.meeting_record(
            user=office,
            held_on=held_on,
            place=place,
            organiser=organiser,
            region=region,
            banks=banks,
            enterprises=list(ents),
            note="各银行介绍技改信贷产品，企业介绍项目融资需求，现场签订合作意向。",
            at=now,
        )
        meetings.append(m)
        for n in pool[:5]:
            bank = rng.choice(banks)
            intentions.append(
                services.intention_add(
                    user=office,
                    meeting=m,
                    bank=bank,
                    project=n.project,
                    amount_yuan=n.amount_yuan,
                    at=now,
                )
            )

    # Loans: the bank that signed an intention lends on it; others pick needs; a few needs stay open.
    intended = {i.project_id: i.bank for i in intentions}
    loans = []
    for i, n in enumerate(needs):
        if i % 6 == 5:  # left open for the banks' to-do lists and the 应贷尽贷 ratio
            continue
        bank = intended.get(n.project_id) or banks[rng.randrange(len(banks))]
        member = bank_users[banks.index(bank)]
        issued = n.posted_on + dt.timedelta(days=rng.randint(15, 70))
        share = Decimal(1) if i % 4 else Decimal(rng.choice(("0.5", "0.6", "0.8")))
        loans.append(
            services.loan_record(
                user=member,
                need=FinancingNeed.objects.get(pk=n.pk),
                amount_yuan=_wan(n.amount_yuan * share),
                rate_percent=Decimal(rng.choice(("4.35", "4.75", "4.90", "5.22"))).quantize(
                    Decimal("0.001"), ROUND_HALF_UP
                ),
                issued_on=issued,
                maturity_on=issued + dt.timedelta(days=365 * rng.choice((1, 2, 3))),
                at=now,
            )
        )

    # The compensation fund: contributions, one claim paid, one approved, one waiting for the office.
    services.fund_contribute(
        user=finance,
        amount_yuan=Decimal("20000000"),
        source="州财政",
        entry_date=dt.date(2018, 6, 30),
        at=now,
    )
    services.fund_contribute(
        user=finance,
        amount_yuan=Decimal("5000000"),
        source="恩施市财政",
        entry_date=dt.date(2019, 3, 31),
        at=now,
    )
    claims = []
    for loan in loans[2:5]:
        member = bank_users[banks.index(loan.bank)]
        claims.append(
            services.claim_file(
                user=member,
                loan=loan,
                defaulted_on=loan.issued_on + dt.timedelta(days=300),
                outstanding_principal_yuan=_wan(loan.amount_yuan * Decimal("0.7")),
                reason="企业经营困难，连续两期未按期还本付息，经催收无果",
                at=now,
            )
        )
    paid, approved = claims[0], claims[1]
    paid = services.claim_review(
        user=office, claim=paid, approve=True, note="符合补偿条件", expected_version=1, at=now
    )
    services.claim_pay(
        user=finance,
        claim=paid,
        paid_on=paid.defaulted_on + dt.timedelta(days=45),
        expected_version=2,
        at=now,
    )
    services.claim_review(
        user=office, claim=approved, approve=True, note="符合补偿条件", expected_version=1, at=now
    )

    for k, loan in enumerate(loans[6:8]):
        services.policy_record(
            user=finance,
            loan=loan,
            policy_no=f"PICC-ES-{loan.issued_on:%Y}-{k + 1:04d}",
            insurer="中国人民财产保险恩施州分公司",
            amount_insured_yuan=_wan(loan.amount_yuan * Decimal("0.8")),
            premium_yuan=(loan.amount_yuan * Decimal("0.8") * Decimal("0.015")).quantize(Decimal("0.01")),
            premium_subsidy_yuan=(loan.amount_yuan * Decimal("0.8") * Decimal("0.0075")).quantize(
                Decimal("0.01")
            ),
            start_on=loan.issued_on,
            end_on=loan.maturity_on,
            at=now,
        )
    return {
        "banks": len(banks),
        "financing_needs": len(needs),
        "open_needs": FinancingNeed.objects.filter(status=NeedStatus.OPEN).count(),
        "loans": len(loans),
        "meetings": len(meetings),
        "intentions": len(intentions),
        "claims": len(claims),
        "user_rows": user_rows,
    }
