"""Writes of finance support (金融支持, 3.4): banks and their users, matchmaking meetings and intentions,
financing needs, loans, the credit risk compensation fund and guarantee insurance.

Every write goes through these functions (docs/architecture.md): keyword-only, atomic, a permission check
first, the shared domain errors; "now" (``at``) comes from the edge. Every model here is ``@track``-ed, so
each changed row is in the audit log; many-to-many sets and refusals of money are recorded explicitly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from jigai.accounts.models import Role, User
from jigai.accounts.permissions import require
from jigai.core import audit, programme
from jigai.core.dates import local_date
from jigai.core.errors import ConflictError, NotFoundError, StaleEditError, ValidationError
from jigai.core.models import Region
from jigai.core.money import amount_problem, format_yuan_zh, round_yuan
from jigai.registry.models import Enterprise, Project

from . import access
from .models import (
    Bank,
    BankKind,
    BankMembership,
    ClaimStatus,
    CompensationClaim,
    CompensationFund,
    EntryKind,
    FinancingNeed,
    FundEntry,
    GuaranteePolicy,
    Intention,
    Loan,
    MatchMeeting,
    NeedStatus,
)

FUND_NAME = "恩施州技改信贷风险补偿资金池"
MAX_TERM_MONTHS = 360
MAX_RATE_PERCENT = Decimal("36")  # above it a loan is usurious (最高人民法院民间借贷司法解释); a typing error
# ``amount_problem``'s sentences, in the catalogue so that a refusal reads in the request's language.
AMOUNT_PROBLEMS = (
    gettext_noop("不是有效的金额"),
    gettext_noop("金额不能为负数"),
    gettext_noop("金额最多精确到分"),
)


def _amount(errors: dict, field: str, label: str, value, *, zero_ok: bool = False) -> Decimal | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
        return None
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(gettext("%(label)s：不是有效的金额") % {"label": label})
        return None
    if problem := amount_problem(value):
        errors.setdefault(field, []).append(
            gettext("%(label)s：%(problem)s") % {"label": label, "problem": gettext(problem)}
        )
        return None
    if value < 0 or (value == 0 and not zero_ok):
        message = gettext("%(label)s须大于零") if not zero_ok else gettext("%(label)s不能为负数")
        errors.setdefault(field, []).append(message % {"label": label})
        return None
    return round_yuan(value)


def _text(errors: dict, field: str, label: str, value, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            gettext("%(label)s过长（最多 %(max)s 个字）") % {"label": label, "max": max_length}
        )
    return value


def _date(errors: dict, field: str, label: str, value) -> dt.date | None:
    if value is None:
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
    return value


def _own_bank(user) -> Bank:
    bank = access.bank_of(user)
    if bank is None:
        raise ValidationError({"bank": [gettext("您的账户尚未关联银行，请联系州项目办在“银行”页面关联")]})
    return bank


# --- banks and their users ---------------------------------------------------------------------------


@transaction.atomic
def bank_create(*, user, name: str, short_name: str, kind: str, at: dt.datetime) -> Bank:
    require(user, "finance.bank.manage")
    errors: dict[str, list[str]] = {}
    name = _text(errors, "name", gettext("银行名称"), name, 60)
    short_name = _text(errors, "short_name", gettext("简称"), short_name, 20)
    if kind not in BankKind.values:
        errors["kind"] = [gettext("未知的银行类型：%(kind)s") % {"kind": kind}]
    if name and Bank.objects.filter(name=name).exists():
        errors.setdefault("name", []).append(gettext("银行“%(name)s”已存在") % {"name": name})
    if short_name and Bank.objects.filter(short_name=short_name).exists():
        errors.setdefault("short_name", []).append(gettext("简称“%(name)s”已被使用") % {"name": short_name})
    if errors:
        raise ValidationError(errors)
    return Bank.objects.create(name=name, short_name=short_name, kind=kind)


@transaction.atomic
def bank_member_set(*, user, member: User, bank: Bank | None, at: dt.datetime) -> BankMembership | None:
    """Link a bank user to the bank they work for (or unlink with ``bank=None``)."""
    require(user, "finance.bank.manage")
    if member.role != Role.BANK:
        raise ValidationError(
            {"member": [gettext("只有银行用户可以关联银行，%(name)s 不是银行用户") % {"name": member}]}
        )
    current = BankMembership.objects.select_for_update().filter(user=member).first()
    if bank is None:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return BankMembership.objects.create(user=member, bank=bank)
    if current.bank_id != bank.pk:
        current.bank = bank
        current.save()
    return current


# --- matchmaking meetings and intentions (银企对接会) -------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    user,
    held_on: dt.date | None,
    place: str,
    organiser: str,
    region: Region | None,
    banks: Iterable[Bank],
    enterprises: Iterable[Enterprise],
    note: str = "",
    at: dt.datetime,
) -> MatchMeeting:
    """3.4 定期召开银企对接会: record a meeting with the banks and enterprises present. A clerk records
    their county's meetings only."""
    require(user, "finance.meeting.record")
    errors: dict[str, list[str]] = {}
    _date(errors, "held_on", gettext("召开日期"), held_on)
    place = _text(errors, "place", gettext("地点"), place, 100)
    organiser = _text(errors, "organiser", gettext("主办单位"), organiser, 100)
    note = _text(errors, "note", gettext("会议情况"), note, 5000, required=False)
    banks = sorted({b.pk: b for b in banks}.values(), key=lambda b: b.pk)
    enterprises = sorted({e.pk: e for e in enterprises}.values(), key=lambda e: e.pk)
    if user.role == Role.CLERK:
        if region is None or region.pk != user.region_id:
            errors.setdefault("region", []).append(gettext("县市经办人只能登记本县市的银企对接会"))
        outside = [e.name for e in enterprises if e.region_id != user.region_id]
        if outside:
            errors.setdefault("enterprises", []).append(
                gettext("以下企业不属于本县市：%(names)s") % {"names": gettext("、").join(outside)}
            )
    if not banks:
        errors.setdefault("banks", []).append(gettext("请选择参会银行"))
    if not enterprises:
        errors.setdefault("enterprises", []).append(gettext("请选择参会企业"))
    if errors:
        raise ValidationError(errors)
    meeting = MatchMeeting.objects.create(
        held_on=held_on,
        place=place,
        organiser=organiser,
        region=region,
        note=note,
        recorded_by=user,
        recorded_at=at,
    )
    meeting.banks.set(banks)
    meeting.enterprises.set(enterprises)
    audit.record(
        "meeting_attendance",
        obj=meeting,
        after={"banks": [b.pk for b in banks], "enterprises": [e.pk for e in enterprises]},
        message=f"银企对接会 {held_on:%Y-%m-%d} {place}：银行 {len(banks)} 家，企业 {len(enterprises)} 家",
    )
    return meeting


@transaction.atomic
def intention_add(
    *, user, meeting: MatchMeeting, bank: Bank, project: Project, amount_yuan, note: str = "", at: dt.datetime
) -> Intention:
    """An intention (意向) signed at ``meeting``: its bank and the project's enterprise must have been
    present."""
    require(user, "finance.meeting.record", project)
    if not access.meetings(user).filter(pk=meeting.pk).exists():
        raise NotFoundError(gettext("银企对接会不存在或无权访问"))
    errors: dict[str, list[str]] = {}
    amount = _amount(errors, "amount_yuan", gettext("意向金额"), amount_yuan)
    note = _text(errors, "note", gettext("备注"), note, 200, required=False)
    if not meeting.banks.filter(pk=bank.pk).exists():
        errors.setdefault("bank", []).append(gettext("%(bank)s 未参加本次对接会") % {"bank": bank})
    if not meeting.enterprises.filter(pk=project.enterprise_id).exists():
        errors.setdefault("project", []).append(
            gettext("项目所属企业“%(name)s”未参加本次对接会") % {"name": project.enterprise.name}
        )
    if errors:
        raise ValidationError(errors)
    return Intention.objects.create(
        meeting=meeting,
        bank=bank,
        project=project,
        amount_yuan=amount,
        note=note,
        recorded_by=user,
        recorded_at=at,
    )


# --- financing needs and loans (应贷尽贷) -------------------------------------------------------------


@transaction.atomic
def need_post(
    *,
    user,
    project: Project,
    amount_yuan,
    purpose: str,
    term_months,
    posted_on: dt.date | None,
    at: dt.datetime,
) -> FinancingNeed:
    """An enterprise (or its county's clerk, or the office) posts a project's financing need; every bank
    sees it while it is open."""
    require(user, "finance.need.post", project)
    errors: dict[str, list[str]] = {}
    amount = _amount(errors, "amount_yuan", gettext("融资需求金额"), amount_yuan)
    purpose = _text(errors, "purpose", gettext("资金用途"), purpose, 200)
    _date(errors, "posted_on", gettext("发布日期"), posted_on)
    try:
        term = int(term_months)
    except (TypeError, ValueError):
        term = None
    if term is None or not 1 <= term <= MAX_TERM_MONTHS:
        errors["term_months"] = [gettext("期限须为 1 至 %(max)s 个月") % {"max": MAX_TERM_MONTHS}]
    if amount is not None and amount > project.total_investment_yuan:
        errors.setdefault("amount_yuan", []).append(
            gettext("融资需求不能大于项目总投资 %(amount)s 元")
            % {"amount": format_yuan_zh(project.total_investment_yuan)}
        )
    if errors:
        raise ValidationError(errors)
    return FinancingNeed.objects.create(
        project=project,
        amount_yuan=amount,
        purpose=purpose,
        term_months=term,
        posted_on=posted_on,
        posted_by=user,
        posted_at=at,
    )


@transaction.atomic
def need_withdraw(*, user, need: FinancingNeed, expected_version: int, at: dt.datetime) -> FinancingNeed:
    require(user, "finance.need.post", need.project)
    current = FinancingNeed.objects.select_for_update().get(pk=need.pk)
    if current.version != expected_version:
        raise StaleEditError()
    if current.status != NeedStatus.OPEN:
        raise ConflictError(
            gettext("该融资需求当前为“%(status)s”，不能撤回") % {"status": current.get_status_display()}
        )
    current.status = NeedStatus.WITHDRAWN
    current.version += 1
    current.save()
    return current


def met_amount(need: FinancingNeed) -> Decimal:
    """The loans recorded against ``need`` so far (yuan)."""
    return sum((loan.amount_yuan for loan in need.loans.all()), Decimal("0.00"))


@transaction.atomic
def loan_record(
    *,
    user,
    need: FinancingNeed | None = None,
    intention: Intention | None = None,
    amount_yuan,
    rate_percent,
    issued_on: dt.date | None,
    maturity_on: dt.date | None,
    at: dt.datetime,
) -> Loan:
    """A bank records a loan it granted: against an open need it can see, or on an intention it signed.
    A need whose loans reach its amount is met (应贷尽贷)."""
    require(user, "finance.loan.record")
    errors: dict[str, list[str]] = {}
    bank = _own_bank(user)
    project = None
    locked_need = None
    if need is not None:
        if not access.needs(user).filter(pk=need.pk).exists():
            raise NotFoundError(gettext("融资需求不存在或无权访问"))
        locked_need = FinancingNeed.objects.select_for_update().select_related("project").get(pk=need.pk)
        if locked_need.status != NeedStatus.OPEN:
            errors["need"] = [
                gettext("该融资需求当前为“%(status)s”，不能再登记贷款")
                % {"status": locked_need.get_status_display()}
            ]
        project = locked_need.project
    if intention is not None:
        if not access.intentions(user).filter(pk=intention.pk).exists():
            raise NotFoundError(gettext("签约意向不存在或无权访问"))
        if intention.bank_id != bank.pk:
            errors.setdefault("intention", []).append(gettext("该意向不是本行签约的"))
        if project is not None and project.pk != intention.project_id:
            errors.setdefault("intention", []).append(gettext("意向项目与融资需求的项目不一致"))
        project = intention.project
    if project is None:
        errors.setdefault("need", []).append(gettext("请选择所满足的融资需求或签约意向"))
    amount = _amount(errors, "amount_yuan", gettext("贷款金额"), amount_yuan)
    try:
        rate = Decimal(rate_percent).quantize(Decimal("0.001")) if rate_percent not in (None, "") else None
    except (InvalidOperation, TypeError, ValueError):
        rate = None
    if rate is None or not Decimal(0) < rate <= MAX_RATE_PERCENT:
        errors["rate_percent"] = [
            gettext("年利率须大于 0 且不超过 %(max)s%%（按百分数填写，如 4.35）") % {"max": MAX_RATE_PERCENT}
        ]
    _date(errors, "issued_on", gettext("放款日期"), issued_on)
    _date(errors, "maturity_on", gettext("到期日期"), maturity_on)
    if issued_on and maturity_on and maturity_on <= issued_on:
        errors.setdefault("maturity_on", []).append(gettext("到期日期须晚于放款日期"))
    if locked_need is not None and issued_on and issued_on < locked_need.posted_on:
        errors.setdefault("issued_on", []).append(
            gettext("放款日期不能早于需求发布日期 %(date)s") % {"date": date_format(locked_need.posted_on)}
        )
    if errors:
        raise ValidationError(errors)
    loan = Loan.objects.create(
        bank=bank,
        project=project,
        need=locked_need,
        amount_yuan=amount,
        rate_percent=rate,
        issued_on=issued_on,
        maturity_on=maturity_on,
        recorded_by=user,
        recorded_at=at,
    )
    if locked_need is not None and met_amount(locked_need) >= locked_need.amount_yuan:
        locked_need.status = NeedStatus.MET
        locked_need.version += 1
        locked_need.save()
    return loan


# --- the credit risk compensation fund (风险补偿资金池) ------------------------------------------------


def fund() -> CompensationFund:
    """The prefecture's one compensation fund (created empty the first time it is needed)."""
    return CompensationFund.objects.get_or_create(name=FUND_NAME)[0]


def _locked_fund() -> CompensationFund:
    return CompensationFund.objects.select_for_update().get(pk=fund().pk)


@transaction.atomic
def fund_contribute(
    *, user, amount_yuan, source: str, entry_date: dt.date | None, at: dt.datetime
) -> FundEntry:
    """Money paid into the fund (by the prefecture's or a county's treasury, or a partner bank)."""
    require(user, "finance.fund.contribute")
    errors: dict[str, list[str]] = {}
    amount = _amount(errors, "amount_yuan", gettext("注入金额"), amount_yuan)
    source = _text(errors, "source", gettext("资金来源"), source, 100)
    _date(errors, "entry_date", gettext("日期"), entry_date)
    if errors:
        raise ValidationError(errors)
    f = _locked_fund()
    balance = f.balance_yuan + amount
    if amount_problem(balance):
        raise ValidationError(
            {
                "amount_yuan": [
                    gettext("注入后余额超出可记录的范围：%(problem)s")
                    % {"problem": gettext(amount_problem(balance))}
                ]
            }
        )
    f.balance_yuan = balance
    f.version += 1
    f.save()
    return FundEntry.objects.create(
        fund=f,
        kind=EntryKind.CONTRIBUTION,
        amount_yuan=amount,
        balance_after_yuan=balance,
        source=source,
        entry_date=entry_date,
        recorded_by=user,
        recorded_at=at,
    )


def compensation_ratio(on: dt.date):
    """3.4 (docs/programme.md, reading 21): the ratio in force on the default date, with its record."""
    return programme.parameters().latest_on("3.4.compensation_ratio", on)


@transaction.atomic
def claim_file(
    *,
    user,
    loan: Loan,
    defaulted_on: dt.date | None,
    outstanding_principal_yuan,
    reason: str,
    at: dt.datetime,
) -> CompensationClaim:
    """A bank claims compensation for its defaulted tech-renovation loan: the outstanding principal times
    the ratio in force on the default date. One live claim per loan."""
    require(user, "finance.claim.file")
    bank = _own_bank(user)
    if loan.bank_id != bank.pk:
        raise NotFoundError(gettext("贷款不存在或无权访问"))
    current = Loan.objects.select_for_update().get(pk=loan.pk)
    errors: dict[str, list[str]] = {}
    principal = _amount(errors, "outstanding_principal_yuan", gettext("未偿本金"), outstanding_principal_yuan)
    reason = _text(errors, "reason", gettext("违约情况"), reason, 300)
    _date(errors, "defaulted_on", gettext("违约日期"), defaulted_on)
    if principal is not None and principal > current.amount_yuan:
        errors.setdefault("outstanding_principal_yuan", []).append(
            gettext("未偿本金不能大于贷款金额 %(amount)s 元")
            % {"amount": format_yuan_zh(current.amount_yuan)}
        )
    if defaulted_on and defaulted_on <= current.issued_on:
        errors.setdefault("defaulted_on", []).append(
            gettext("违约日期须晚于放款日期 %(date)s") % {"date": date_format(current.issued_on)}
        )
    if defaulted_on and defaulted_on > local_date(at):
        errors.setdefault("defaulted_on", []).append(gettext("违约日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    used = compensation_ratio(defaulted_on)
    ratio = Decimal(used.raw)
    amount = round_yuan(principal * ratio)
    if amount <= 0:
        raise ValidationError(
            {"outstanding_principal_yuan": [gettext("按补偿比例计算的补偿金额为零，无需申请")]}
        )
    if current.defaulted_on != defaulted_on:
        current.defaulted_on = defaulted_on
        current.save()
    try:
        with transaction.atomic():
            claim = CompensationClaim.objects.create(
                loan=current,
                defaulted_on=defaulted_on,
                outstanding_principal_yuan=principal,
                ratio=ratio,
                amount_yuan=amount,
                reason=reason,
                filed_by=user,
                filed_at=at,
            )
    except IntegrityError as exc:
        raise ConflictError(gettext("该笔贷款已有待审核、待支付或已代偿的补偿申请，不能重复申请")) from exc
    audit.record(
        "compensation_claim",
        obj=claim,
        after={"ratio": str(ratio), "parameter": used.name, "period_start": str(used.start)},
        message=f"风险补偿申请：未偿本金 {format_yuan_zh(principal)} 元 × {used.display} = {format_yuan_zh(amount)} 元",
    )
    return claim


@transaction.atomic
def claim_review(
    *, user, claim: CompensationClaim, approve: bool, note: str, expected_version: int, at: dt.datetime
) -> CompensationClaim:
    """The programme office approves or refuses a claim (a refusal needs its reason)."""
    require(user, "finance.claim.review", claim.loan.project)
    current = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
    if current.version != expected_version:
        raise StaleEditError()
    if current.status != ClaimStatus.SUBMITTED:
        raise ConflictError(
            gettext("该申请当前为“%(status)s”，不能再审核") % {"status": current.get_status_display()}
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"review_note": [gettext("不予核准须填写审核意见")]})
    if len(note) > 300:
        raise ValidationError(
            {
                "review_note": [
                    gettext("%(label)s过长（最多 %(max)s 个字）") % {"label": gettext("审核意见"), "max": 300}
                ]
            }
        )
    current.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    current.review_note = note
    current.reviewed_by = user
    current.reviewed_at = at
    current.version += 1
    current.save()
    return current


class FundShortError(ConflictError):
    """A payout larger than the fund's balance: refused, nothing written."""


@transaction.atomic
def claim_pay(
    *, user, claim: CompensationClaim, paid_on: dt.date | None, expected_version: int, at: dt.datetime
) -> FundEntry:
    """The finance bureau pays an approved claim out of the fund. The fund row is locked first; a payout
    the balance cannot cover is refused (the balance is never negative)."""
    require(user, "finance.claim.pay", claim.loan.project)
    f = _locked_fund()
    current = CompensationClaim.objects.select_for_update().select_related("loan__bank").get(pk=claim.pk)
    if current.version != expected_version:
        raise StaleEditError()
    if current.status != ClaimStatus.APPROVED:
        raise ConflictError(
            gettext("只有“已核准”的申请可以支付，该申请当前为“%(status)s”")
            % {"status": current.get_status_display()}
        )
    if paid_on is None:
        raise ValidationError({"paid_on": [gettext("请填写支付日期")]})
    if current.amount_yuan > f.balance_yuan:
        raise FundShortError(
            gettext("风险补偿资金池余额不足：余额 %(balance)s 元，本笔需支付 %(amount)s 元，请先注入资金")
            % {"balance": format_yuan_zh(f.balance_yuan), "amount": format_yuan_zh(current.amount_yuan)}
        )
    f.balance_yuan = f.balance_yuan - current.amount_yuan
    f.version += 1
    f.save()
    entry = FundEntry.objects.create(
        fund=f,
        kind=EntryKind.PAYOUT,
        amount_yuan=current.amount_yuan,
        balance_after_yuan=f.balance_yuan,
        source=f"代偿 {current.loan.bank}（申请 {current.pk}）",
        entry_date=paid_on,
        claim=current,
        recorded_by=user,
        recorded_at=at,
    )
    current.status = ClaimStatus.PAID
    current.version += 1
    current.save()
    return entry


# --- credit-guarantee insurance (信用保证保险) ---------------------------------------------------------


@transaction.atomic
def policy_record(
    *,
    user,
    loan: Loan,
    policy_no: str,
    insurer: str,
    amount_insured_yuan,
    premium_yuan,
    premium_subsidy_yuan=0,
    start_on: dt.date | None,
    end_on: dt.date | None,
    at: dt.datetime,
) -> GuaranteePolicy:
    require(user, "finance.policy.record", loan.project)
    errors: dict[str, list[str]] = {}
    policy_no = _text(errors, "policy_no", gettext("保单号"), policy_no, 40)
    insurer = _text(errors, "insurer", gettext("保险机构"), insurer, 60)
    insured = _amount(errors, "amount_insured_yuan", gettext("保险金额"), amount_insured_yuan)
    premium = _amount(errors, "premium_yuan", gettext("保费"), premium_yuan, zero_ok=True)
    subsidy = _amount(
        errors, "premium_subsidy_yuan", gettext("保费补贴"), premium_subsidy_yuan or 0, zero_ok=True
    )
    _date(errors, "start_on", gettext("保险起期"), start_on)
    _date(errors, "end_on", gettext("保险止期"), end_on)
    if insured is not None and insured > loan.amount_yuan:
        errors.setdefault("amount_insured_yuan", []).append(
            gettext("保险金额不能大于贷款金额 %(amount)s 元") % {"amount": format_yuan_zh(loan.amount_yuan)}
        )
    if premium is not None and subsidy is not None and subsidy > premium:
        errors.setdefault("premium_subsidy_yuan", []).append(gettext("保费补贴不能大于保费"))
    if start_on and end_on and end_on <= start_on:
        errors.setdefault("end_on", []).append(gettext("保险止期须晚于起期"))
    if policy_no and GuaranteePolicy.objects.filter(policy_no=policy_no).exists():
        errors.setdefault("policy_no", []).append(gettext("保单号“%(number)s”已登记") % {"number": policy_no})
    if errors:
        raise ValidationError(errors)
    return GuaranteePolicy.objects.create(
        loan=loan,
        policy_no=policy_no,
        insurer=insurer,
        amount_insured_yuan=insured,
        premium_yuan=premium,
        premium_subsidy_yuan=subsidy,
        start_on=start_on,
        end_on=end_on,
        recorded_by=user,
        recorded_at=at,
    )
