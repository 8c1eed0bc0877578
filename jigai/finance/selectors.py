"""Reads of finance support (3.4), already scoped to what the user may see (``access``): lists, the
应贷尽贷 ratios per unit and per bank, and the banks' yearly contribution scores.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop

from jigai.accounts.models import Role
from jigai.core import programme
from jigai.core.errors import ValidationError
from jigai.core.models import Region

from . import access, scoring
from .models import (
    Bank,
    CompensationClaim,
    CompensationFund,
    FinancingNeed,
    FundEntry,
    GuaranteePolicy,
    Intention,
    Loan,
    MatchMeeting,
    NeedStatus,
)

WEIGHT_PARAMETERS = {c: f"3.4.score_weight_{c}" for c in scoring.COMPONENTS}
# The score's labels (``scoring.LABELS``, pure Python) in the catalogue: the pages render them with
# ``translated``.
LABELS = (
    gettext_noop("技改贷款额占比"),
    gettext_noop("支持项目数占比"),
    gettext_noop("满足融资需求贷款额占比"),
    gettext_noop("对接会意向履约率"),
)


def need_list(user, *, status: str = "") -> QuerySet[FinancingNeed]:
    qs = access.needs(user).select_related("project", "project__enterprise", "project__region")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-posted_on", "-id")


def need_detail(user, pk: int) -> FinancingNeed | None:
    return need_list(user).filter(pk=pk).first()


def loan_list(user, *, year: int | None = None, bank_id: int | None = None) -> QuerySet[Loan]:
    qs = access.loans(user).select_related(
        "bank", "project", "project__enterprise", "project__region", "need"
    )
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    if bank_id is not None:
        qs = qs.filter(bank_id=bank_id)
    return qs.order_by("-issued_on", "-id")


def loan_detail(user, pk: int) -> Loan | None:
    return loan_list(user).filter(pk=pk).first()


def meeting_list(user) -> QuerySet[MatchMeeting]:
    return (
        access.meetings(user).select_related("region").prefetch_related("banks").order_by("-held_on", "-id")
    )


def meeting_detail(user, pk: int) -> MatchMeeting | None:
    return meeting_list(user).filter(pk=pk).first()


def intention_list(user, *, meeting_id: int | None = None) -> QuerySet[Intention]:
    qs = access.intentions(user).select_related("bank", "project", "project__enterprise", "meeting")
    if meeting_id is not None:
        qs = qs.filter(meeting_id=meeting_id)
    return qs.order_by("-meeting__held_on", "id")


def claim_list(user, *, status: str = "") -> QuerySet[CompensationClaim]:
    qs = access.claims(user).select_related(
        "loan", "loan__bank", "loan__project", "loan__project__enterprise"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-id")


def claim_detail(user, pk: int) -> CompensationClaim | None:
    return claim_list(user).filter(pk=pk).first()


def policy_list(user) -> QuerySet[GuaranteePolicy]:
    return (
        access.policies(user)
        .select_related("loan", "loan__bank", "loan__project")
        .order_by("-start_on", "-id")
    )


def fund_state() -> tuple[CompensationFund | None, list[FundEntry]]:
    f = CompensationFund.objects.order_by("id").first()
    if f is None:
        return None, []
    return f, list(
        f.entries.select_related("claim__loan__bank", "claim__loan__project").order_by("entry_date", "id")
    )


def banks() -> QuerySet[Bank]:
    return Bank.objects.prefetch_related("members__user").order_by("kind", "id")


# --- 应贷尽贷 ---------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    label: str
    needs: int = 0
    needed_yuan: Decimal = Decimal("0.00")
    met_needs: int = 0
    met_yuan: Decimal = Decimal("0.00")  # loans against the needs, each need counted up to its amount

    @property
    def ratio(self) -> Decimal | None:
        if not self.needed_yuan:
            return None
        return (self.met_yuan / self.needed_yuan * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def count_ratio(self) -> Decimal | None:
        if not self.needs:
            return None
        return (Decimal(self.met_needs) / self.needs * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def coverage(user, year: int | None) -> dict:
    """应贷尽贷 (3.4 确保应贷尽贷; docs/programme.md, reading 22): for the needs posted in ``year`` (all
    years if None) and not withdrawn, the part met by loans — per reporting unit, and per bank the loans it
    made against them. A bank user sees its own bank's row only."""
    if user.role == Role.BANK:  # the bank's own row: the needs it lent against, whatever their status
        bank = access.bank_of(user)
        needs = (
            FinancingNeed.objects.filter(loans__bank=bank).distinct()
            if bank
            else FinancingNeed.objects.none()
        )
    else:
        needs = access.needs(user)
    needs = needs.exclude(status=NeedStatus.WITHDRAWN).select_related("project__region")
    if year is not None:
        needs = needs.filter(posted_on__year=year)
    needs = list(needs)
    loans_by_need: dict[int, list[Loan]] = defaultdict(list)
    for loan in (
        Loan.objects.filter(need__in=[n.pk for n in needs]).select_related("bank").order_by("issued_on", "id")
    ):
        loans_by_need[loan.need_id].append(loan)
    units = {
        r.pk: CoverageRow(label=r.name)
        for r in Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
    }
    total = CoverageRow(label="合计")
    per_bank: dict[int, CoverageRow] = {}
    for n in needs:
        lent = sum((loan.amount_yuan for loan in loans_by_need[n.pk]), Decimal("0.00"))
        met = min(lent, n.amount_yuan)
        for row in (units.get(n.project.region_id), total):
            if row is None:
                continue
            row.needs += 1
            row.needed_yuan += n.amount_yuan
            row.met_yuan += met
            row.met_needs += int(lent >= n.amount_yuan)
        # Per bank: the needs it lent against, and how much of them its own loans met.
        by_bank: dict[int, Decimal] = defaultdict(Decimal)
        banks_seen = {}
        for loan in loans_by_need[n.pk]:
            by_bank[loan.bank_id] += loan.amount_yuan
            banks_seen[loan.bank_id] = loan.bank
        for bank_id, amount in by_bank.items():
            row = per_bank.setdefault(bank_id, CoverageRow(label=str(banks_seen[bank_id])))
            row.needs += 1
            row.needed_yuan += n.amount_yuan
            row.met_yuan += min(amount, n.amount_yuan)
            row.met_needs += int(amount >= n.amount_yuan)
    bank_rows = sorted(per_bank.items(), key=lambda kv: (-kv[1].met_yuan, kv[0]))
    if user.role == Role.BANK:
        own = access.bank_of(user)
        bank_rows = [(k, v) for k, v in bank_rows if own and k == own.pk]
        unit_rows = []
        total = None
    else:
        unit_rows = [row for row in units.values() if row.needs or user.role != Role.CLERK]
        if user.role == Role.CLERK:
            unit_rows = [units[user.region_id]] if user.region_id in units else []
    return {"units": unit_rows, "banks": [v for _k, v in bank_rows], "total": total}


# --- contribution scores (docs/programme.md, reading 20) ---------------------------------------------


def weights(year: int) -> tuple[dict[str, Decimal], list]:
    used = {c: programme.figure(name, year) for c, name in WEIGHT_PARAMETERS.items()}
    return {c: Decimal(u.raw) for c, u in used.items()}, list(used.values())


def bank_facts(year: int) -> list[scoring.BankFacts]:
    """Every active bank's lending to tech-renovation projects in ``year`` (every project of the library
    is a tech-renovation project)."""
    loans = list(
        Loan.objects.filter(issued_on__year=year).only("bank_id", "project_id", "need_id", "amount_yuan")
    )
    intentions = list(
        Intention.objects.filter(meeting__held_on__year=year).only("bank_id", "project_id", "amount_yuan")
    )
    out = []
    for bank in Bank.objects.filter(is_active=True).order_by("id"):
        own = [loan for loan in loans if loan.bank_id == bank.pk]
        signed = [i for i in intentions if i.bank_id == bank.pk]
        signed_projects = {i.project_id for i in signed}
        out.append(
            scoring.BankFacts(
                bank_id=bank.pk,
                name=str(bank),
                amount=sum((loan.amount_yuan for loan in own), Decimal(0)),
                projects=len({loan.project_id for loan in own}),
                needs_amount=sum((loan.amount_yuan for loan in own if loan.need_id), Decimal(0)),
                intention_amount=sum((i.amount_yuan for i in signed), Decimal(0)),
                intention_lent=sum(
                    (loan.amount_yuan for loan in own if loan.project_id in signed_projects), Decimal(0)
                ),
            )
        )
    return out


def scores(user, year: int) -> dict:
    """The year's ranking with each score's components and the weights used. A bank user gets its own
    row only (with its rank)."""
    w, used = weights(year)
    try:
        rows = scoring.score_banks(bank_facts(year), w)
    except scoring.WeightsError as exc:  # an installation's override broke the weights: say so, never rescale
        raise ValidationError(
            {
                "year": [
                    gettext("%(year)s年贡献度无法计算：四项权重之和应为1（方案参数 3.4.score_weight_*）")
                    % {"year": year}
                ]
            }
        ) from exc
    if user.role == Role.BANK:
        own = access.bank_of(user)
        rows = [r for r in rows if own is not None and r.bank_id == own.pk]
    return {
        "year": year,
        "rows": rows,
        "weights": w,
        "used": used,
        "labels": scoring.LABELS,
        "banks_ranked": len(Bank.objects.filter(is_active=True)),
    }


def default_year(today: dt.date) -> int:
    latest = Loan.objects.order_by("-issued_on").values_list("issued_on", flat=True).first()
    return min(today.year, latest.year) if latest else today.year
