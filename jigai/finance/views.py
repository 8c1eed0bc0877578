"""Pages of finance support (金融支持, 3.4) under /finance/. Every list is scoped (``access``); a record
outside the user's scope answers 404 like a missing one."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.models import Role
from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit
from jigai.core.edges import refused
from jigai.core.params import int_param
from jigai.documents.http import xlsx_response
from jigai.documents.spreadsheets import Sheet, write_xlsx
from jigai.registry import selectors as registry_selectors

from . import access, scoring, selectors, services
from .forms import (
    BankForm,
    ClaimForm,
    ContributionForm,
    IntentionForm,
    LoanForm,
    MeetingForm,
    MemberForm,
    NeedForm,
    PolicyForm,
)
from .models import ClaimStatus, CompensationClaim, FinancingNeed, Loan, MatchMeeting, NeedStatus


def _today():
    return timezone.localdate()


def _year(request, default: int) -> int:
    return int_param(request.GET.get("year"), default=default, lo=2000, hi=2999)


def _need_or_404(request, pk):
    need = selectors.need_detail(request.user, pk)
    if need is None:
        raise not_found(FinancingNeed, pk, gettext("融资需求不存在或无权访问"))
    return need


def _loan_or_404(request, pk):
    loan = selectors.loan_detail(request.user, pk)
    if loan is None:
        raise not_found(Loan, pk, gettext("贷款不存在或无权访问"))
    return loan


@guard("finance.view")
def index(request):
    """The finance home: for a bank user its bank, its score, the open needs and its loans (the page the
    bank user's home links to); for the others the figures and the way to each list."""
    user = request.user
    today = _today()
    year = selectors.default_year(today)
    ctx = {
        "bank": access.bank_of(user),
        "year": year,
        "open_needs": list(selectors.need_list(user, status=NeedStatus.OPEN)[:20]),
        "loans": list(selectors.loan_list(user)[:20]),
        "intentions": list(selectors.intention_list(user)[:20]),
        "claims": list(selectors.claim_list(user)[:20]),
        "score": None,
    }
    if can(user, "finance.score.view") and (user.role != Role.BANK or ctx["bank"] is not None):
        ctx["score"] = selectors.scores(user, year)
    return render(request, "finance/index.html", ctx)


@guard("finance.view")
def need_list(request):
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in NeedStatus.values else ""
    form = None
    if can(user, "finance.need.post"):
        projects = (
            registry_selectors.project_queryset(user).select_related("enterprise").order_by("name", "id")
        )
        form = NeedForm(request.POST or None, projects=projects, initial={"posted_on": _today()})
        if request.method == "POST" and form.is_valid():
            with refused(form=form, field_map=NeedForm.FIELD_MAP) as attempt:
                need = services.need_post(user=user, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(request, gettext("融资需求已发布，各银行可见。"))
                return redirect("finance:need", pk=need.pk)
    elif request.method == "POST":
        return redirect("finance:needs")
    needs = list(selectors.need_list(user, status=status)[:500])
    return render(
        request,
        "finance/needs.html",
        {"needs": needs, "form": form, "status": status, "statuses": NeedStatus.choices},
    )


@guard("finance.view")
def need_detail(request, pk: int):
    user = request.user
    need = _need_or_404(request, pk)
    form = None
    if can(user, "finance.loan.record") and need.status == NeedStatus.OPEN:
        form = LoanForm(request.POST or None, initial={"issued_on": _today()})
        if request.method == "POST" and form.is_valid():
            with refused(form=form, field_map=LoanForm.FIELD_MAP) as attempt:
                loan = services.loan_record(user=user, need=need, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(request, gettext("贷款已登记。"))
                return redirect("finance:loan", pk=loan.pk)
    elif request.method == "POST":
        return redirect("finance:need", pk=pk)
    loans = list(selectors.loan_list(user).filter(need=need))
    return render(
        request,
        "finance/need_detail.html",
        {
            "need": need,
            "loans": loans,
            "form": form,
            "met": services.met_amount(need),
            "may_withdraw": can(user, "finance.need.post") and need.status == NeedStatus.OPEN,
        },
    )


@require_POST
@guard("finance.need.post")
def need_withdraw(request, pk: int):
    need = _need_or_404(request, pk)
    with refused(request=request) as attempt:
        services.need_withdraw(
            user=request.user,
            need=need,
            expected_version=int_param(request.POST.get("version"), default=0, lo=0, hi=10**9),
            at=timezone.now(),
        )
    if attempt.ok:
        messages.success(request, gettext("融资需求已撤回。"))
    return redirect("finance:need", pk=pk)


@guard("finance.view")
def loan_list(request):
    user = request.user
    year = request.GET.get("year")
    year = int_param(year, default=None, lo=2000, hi=2999) if year else None
    loans = list(selectors.loan_list(user, year=year)[:1000])
    return render(request, "finance/loans.html", {"loans": loans, "year": year})


@guard("finance.export")
@translation.override("zh-hans")  # an official document reads in Chinese in either interface
def loan_export(request):
    user = request.user
    loans = selectors.loan_list(user)
    data = write_xlsx(
        [
            Sheet(
                title="技改项目贷款",
                caption="技改项目贷款清单",
                headers=[
                    "银行",
                    "企业",
                    "项目",
                    "县市",
                    "贷款金额（万元）",
                    "年利率（%）",
                    "放款日期",
                    "到期日期",
                    "满足的融资需求",
                ],
                kinds=["text", "text", "text", "text", "money_wan", "decimal", "date", "date", "text"],
                rows=(
                    (
                        str(loan.bank),
                        loan.project.enterprise.name,
                        loan.project.name,
                        loan.project.region.name,
                        loan.amount_yuan,
                        loan.rate_percent,
                        loan.issued_on,
                        loan.maturity_on,
                        f"需求 {loan.need_id}" if loan.need_id else "",
                    )
                    for loan in loans.iterator()
                ),
            )
        ]
    )
    audit.record("export", object_type="finance.loan", message="导出技改项目贷款清单")
    return xlsx_response("技改项目贷款清单.xlsx", data)


@guard("finance.view")
def loan_detail(request, pk: int):
    user = request.user
    loan = _loan_or_404(request, pk)
    claim_form = policy_form = None
    live_claim = loan.claims.exclude(status=ClaimStatus.REJECTED).first()
    if can(user, "finance.claim.file") and live_claim is None:
        claim_form = ClaimForm(request.POST if request.POST.get("form") == "claim" else None)
    if can(user, "finance.policy.record"):
        policy_form = PolicyForm(request.POST if request.POST.get("form") == "policy" else None)
    if request.method == "POST":
        which = request.POST.get("form")
        form = claim_form if which == "claim" else policy_form if which == "policy" else None
        if form is None:
            return redirect("finance:loan", pk=pk)
        if form.is_valid():
            call = services.claim_file if which == "claim" else services.policy_record
            with refused(form=form, field_map=form.FIELD_MAP) as attempt:
                call(user=user, loan=loan, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(
                    request, gettext("风险补偿申请已提交。") if which == "claim" else gettext("保单已登记。")
                )
                return redirect("finance:loan", pk=pk)
    return render(
        request,
        "finance/loan_detail.html",
        {
            "loan": loan,
            "claims": list(selectors.claim_list(user).filter(loan=loan)),
            "policies": list(selectors.policy_list(user).filter(loan=loan)),
            "claim_form": claim_form,
            "policy_form": policy_form,
        },
    )


@guard("finance.view")
def meeting_list(request):
    user = request.user
    form = None
    if can(user, "finance.meeting.record"):
        enterprises = registry_selectors.enterprise_queryset(user).order_by("name", "id")
        form = MeetingForm(request.POST or None, user=user, enterprises=enterprises)
        if request.method == "POST" and form.is_valid():
            with refused(form=form) as attempt:
                meeting = services.meeting_record(user=user, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(request, gettext("银企对接会已登记。"))
                return redirect("finance:meeting", pk=meeting.pk)
    elif request.method == "POST":
        return redirect("finance:meetings")
    return render(
        request, "finance/meetings.html", {"meetings": list(selectors.meeting_list(user)[:200]), "form": form}
    )


@guard("finance.view")
def meeting_detail(request, pk: int):
    user = request.user
    meeting = selectors.meeting_detail(user, pk)
    if meeting is None:
        raise not_found(MatchMeeting, pk, gettext("银企对接会不存在或无权访问"))
    form = None
    if can(user, "finance.meeting.record"):
        projects = (
            registry_selectors.project_queryset(user).select_related("enterprise").order_by("name", "id")
        )
        form = IntentionForm(request.POST or None, meeting=meeting, projects=projects)
        if request.method == "POST" and form.is_valid():
            with refused(form=form, field_map=IntentionForm.FIELD_MAP) as attempt:
                services.intention_add(user=user, meeting=meeting, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(request, gettext("签约意向已登记。"))
                return redirect("finance:meeting", pk=pk)
    elif request.method == "POST":
        return redirect("finance:meeting", pk=pk)
    enterprises = meeting.enterprises.order_by("name", "id")
    if user.role == Role.ENTERPRISE:
        enterprises = enterprises.filter(credit_code=user.credit_code)
    elif user.role == Role.CLERK:
        enterprises = enterprises.filter(region_id=user.region_id)
    return render(
        request,
        "finance/meeting_detail.html",
        {
            "meeting": meeting,
            "enterprises": list(enterprises),
            "intentions": list(selectors.intention_list(user, meeting_id=meeting.pk)),
            "form": form,
        },
    )


@guard("finance.view")
def coverage(request):
    user = request.user
    all_years = request.GET.get("year", "") == "all"
    year = None if all_years else _year(request, selectors.default_year(_today()))
    data = selectors.coverage(user, year)
    rows = data["units"] or data["banks"]
    chart = {
        "labels": json.dumps([r.label for r in rows], ensure_ascii=False),
        "series": json.dumps(
            [
                {
                    "name": gettext("应贷尽贷率（金额，%）"),
                    "data": [str(r.ratio) if r.ratio is not None else None for r in rows],
                }
            ],
            ensure_ascii=False,
        ),
    }
    years = sorted({d.year for d in FinancingNeed.objects.dates("posted_on", "year")} | ({year} - {None}))
    return render(request, "finance/coverage.html", {**data, "year": year, "years": years, "chart": chart})


@guard("finance.score.view")
def scores(request):
    user = request.user
    year = _year(request, selectors.default_year(_today()))
    data = selectors.scores(user, year)
    rows = data["rows"]
    chart = {
        "labels": json.dumps([r.name for r in rows], ensure_ascii=False),
        "series": json.dumps(
            [{"name": gettext("贡献度得分"), "data": [str(r.score) for r in rows]}], ensure_ascii=False
        ),
    }
    # The weights used, each named by its component (not by the parameter's code).
    basis = [
        {"label": scoring.LABELS[c], "used": u} for c, u in zip(scoring.COMPONENTS, data["used"], strict=True)
    ]
    return render(
        request, "finance/scores.html", {**data, "chart": chart, "basis": basis, "bank": access.bank_of(user)}
    )


@guard("finance.fund.view")
def fund(request):
    user = request.user
    form = None
    if can(user, "finance.fund.contribute"):
        form = ContributionForm(request.POST or None, initial={"entry_date": _today()})
        if request.method == "POST" and form.is_valid():
            with refused(form=form, field_map=ContributionForm.FIELD_MAP) as attempt:
                services.fund_contribute(user=user, at=timezone.now(), **form.domain_data())
            if attempt.ok:
                messages.success(request, gettext("资金已注入风险补偿资金池。"))
                return redirect("finance:fund")
    elif request.method == "POST":
        return redirect("finance:fund")
    f, entries = selectors.fund_state()
    return render(
        request,
        "finance/fund.html",
        {
            "fund": f,
            "entries": entries,
            "form": form,
            "claims": list(selectors.claim_list(user)[:200]),
            "policies": list(selectors.policy_list(user)[:200]),
            "may_review": can(user, "finance.claim.review"),
            "may_pay": can(user, "finance.claim.pay"),
            "today": _today(),
        },
    )


@require_POST
@guard("finance.view")
def claim_decide(request, pk: int):
    """Review (office) or pay (finance) a claim, from the fund page."""
    user = request.user
    claim = selectors.claim_detail(user, pk)
    if claim is None:
        raise not_found(CompensationClaim, pk, gettext("补偿申请不存在或无权访问"))
    version = int_param(request.POST.get("version"), default=0, lo=0, hi=10**9)
    action = request.POST.get("action")
    with refused(request=request) as attempt:
        if action in ("approve", "reject"):
            services.claim_review(
                user=user, claim=claim, approve=action == "approve", note=request.POST.get("note", ""),
                expected_version=version, at=timezone.now(),
            )  # fmt: skip
        elif action == "pay":
            services.claim_pay(
                user=user, claim=claim, paid_on=_today(), expected_version=version, at=timezone.now()
            )
        else:
            return redirect("finance:fund")
    if attempt.ok:
        done = {
            "approve": gettext("已核准。"),
            "reject": gettext("已不予核准。"),
            "pay": gettext("已支付代偿。"),
        }
        messages.success(request, done[action])
    return redirect("finance:fund")


@guard("finance.view")
def bank_list(request):
    user = request.user
    bank_form = member_form = None
    if can(user, "finance.bank.manage"):
        which = request.POST.get("form")
        bank_form = BankForm(request.POST if which == "bank" else None)
        member_form = MemberForm(request.POST if which == "member" else None)
        if request.method == "POST":
            form = bank_form if which == "bank" else member_form
            if form.is_valid():
                with refused(form=form) as attempt:
                    if which == "bank":
                        services.bank_create(user=user, at=timezone.now(), **form.cleaned_data)
                    else:
                        services.bank_member_set(user=user, at=timezone.now(), **form.cleaned_data)
                if attempt.ok:
                    messages.success(request, gettext("已保存。"))
                    return redirect("finance:banks")
    elif request.method == "POST":
        return redirect("finance:banks")
    return render(
        request,
        "finance/banks.html",
        {
            "banks": list(selectors.banks()),
            "bank_form": bank_form,
            "member_form": member_form,
            "show_members": can(user, "finance.bank.manage") or user.role == Role.LEADER,
        },
    )
