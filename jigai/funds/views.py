"""Pages of the money path: items, batches (maker–checker), budgets with their chart, payments, the
ledger with its .xlsx export, and each enterprise's statement. Every write goes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, in_unit, not_found, require
from jigai.core import audit
from jigai.core.edges import refused
from jigai.core.errors import ValidationError
from jigai.core.models import Region
from jigai.core.params import id_param, int_param
from jigai.documents.http import docx_response, xlsx_response
from jigai.registry.models import Enterprise

from . import documents, exports, ledger, selectors, services
from .charts import budget_chart
from .models import Batch, Clause, Item, ItemState, Level, Payment


def _item_or_404(request, pk: int) -> Item:
    item = selectors.item_detail(request.user, pk)
    if item is None:
        raise not_found(Item, pk, gettext("奖补事项不存在或无权访问"))
    return item


def _query(request) -> str:
    """The page's filters as a query string ending in ``&``, for the pager's links (empty without any)."""
    q = request.GET.copy()
    q.pop("page", None)
    q.pop("format", None)
    return f"{q.urlencode()}&" if q else ""


def _year(request) -> int:
    return int_param(request.GET.get("year"), default=timezone.localdate().year, lo=2000, hi=2100)


def _filters(request) -> dict:
    units = {r.code for r in Region.objects.filter(level=Region.Level.UNIT)}
    unit = request.GET.get("unit") or None
    clause = request.GET.get("clause") or None
    state = request.GET.get("state") or None
    return {
        "unit": unit if unit in units else None,
        "clause": clause if clause in Clause.values else None,
        "state": state if state in ItemState.values else None,
    }


def _choices(user) -> dict:
    return {
        "units": Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "code")
        if user.role != "clerk"
        else Region.objects.filter(pk=user.region_id),
        "clauses": Clause.choices,
        "states": ItemState.choices,
    }


@guard("funds.view")
def item_list(request):
    """The items the user may see; the office selects proposed ones into a batch here."""
    f = _filters(request)
    year = int_param(request.GET.get("year"), default=None, lo=2000, hi=2100)
    qs = selectors.item_list(
        request.user, year=year, region_code=f["unit"], clause=f["clause"], state=f["state"]
    )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/items.html",
        {
            "page": page,
            "year": year,
            **f,
            **_choices(request.user),
            "may_prepare": can(request.user, "funds.prepare"),
            "today": timezone.localdate(),
            "query": _query(request),
        },
    )


@require_POST
@guard("funds.prepare")
def batch_prepare(request):
    ids = [i for i in (id_param(v) for v in request.POST.getlist("item")) if i is not None]
    items = list(selectors.item_queryset(request.user).filter(pk__in=ids))
    amounts = {}
    for item in items:
        raw = (request.POST.get(f"amount_{item.pk}") or "").strip()
        if raw:
            amounts[item.pk] = (raw, request.POST.get(f"reason_{item.pk}", ""))
    with refused(request=request) as attempt:
        batch = services.batch_prepare(
            user=request.user,
            title=request.POST.get("title", ""),
            items=items,
            amounts=amounts,
            note=request.POST.get("note", ""),
            at=timezone.now(),
        )
    if attempt.ok:
        messages.success(request, gettext("已报批 %(n)d 项，等待州财政局审批。") % {"n": len(items)})
        return redirect("funds:batch", pk=batch.pk)
    return redirect("funds:items")


@guard("funds.ledger")
def batch_list(request):
    batches = selectors.batch_queryset(request.user).order_by("-prepared_at", "-pk")
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "funds/batches.html", {"page": page})


@guard("funds.ledger")
def batch_detail(request, pk: int):
    batch = selectors.batch_queryset(request.user).filter(pk=pk).first()
    if batch is None:
        raise not_found(Batch, pk, gettext("报批批次不存在或无权访问"))
    items = batch.items.select_related("enterprise", "project", "region", "decided_by").order_by("pk")
    may_decide = can(request.user, "funds.approve") and batch.prepared_by_id != request.user.pk
    return render(
        request,
        "funds/batch.html",
        {
            "batch": batch,
            "items": items,
            "may_decide": may_decide,
            "is_maker": batch.prepared_by_id == request.user.pk,
        },
    )


@require_POST
@guard("funds.approve")
def item_decide(request, pk: int):
    item = _item_or_404(request, pk)
    action = request.POST.get("action")
    with refused(request=request) as attempt:
        if action == "approve":
            item = services.item_approve(
                user=request.user,
                item=item,
                reason=request.POST.get("reason", ""),
                approve_cap_exception=request.POST.get("approve_cap_exception") == "on",
                expected_version=int_param(request.POST.get("version")),
                at=timezone.now(),
            )
        elif action == "reject":
            item = services.item_reject(
                user=request.user,
                item=item,
                reason=request.POST.get("reason", ""),
                expected_version=int_param(request.POST.get("version")),
                at=timezone.now(),
            )
        else:
            raise ValidationError({"action": [gettext("请选择批准或不予批准")]})
    if attempt.ok:
        messages.success(
            request, gettext("事项 %(pk)d：%(state)s") % {"pk": item.pk, "state": item.get_state_display()}
        )
    return redirect("funds:batch", pk=item.batch_id) if item.batch_id else redirect("funds:item", pk=item.pk)


@guard("funds.view")
def item_detail(request, pk: int):
    item = _item_or_404(request, pk)
    return render(
        request,
        "funds/item.html",
        {
            "item": item,
            # A batch spans counties: a clerk sees the batch's title, not a link to a page they may not open.
            "batch_link": bool(item.batch_id)
            and selectors.batch_queryset(request.user).filter(pk=item.batch_id).exists(),
            "payments": list(item.payments.all()),
            "may_pay": can(request.user, "funds.pay") and item.state == ItemState.PAYABLE,
            "may_reverse": can(request.user, "funds.pay"),
            "levels": [(lv, label, item.share(lv)) for lv, label in Level.choices if item.share(lv) > 0],
            "today": timezone.localdate(),
        },
    )


@require_POST
@guard("funds.pay")
def payment_record(request, pk: int):
    item = _item_or_404(request, pk)
    with refused(request=request) as attempt:
        try:
            paid_on = dt.date.fromisoformat(request.POST.get("paid_on", ""))
        except ValueError:
            raise ValidationError({"paid_on": [gettext("请填写有效的拨付日期")]}) from None
        services.payment_record(
            user=request.user,
            item=item,
            level=request.POST.get("level", ""),
            amount_yuan=request.POST.get("amount_yuan", ""),
            paid_on=paid_on,
            voucher_no=request.POST.get("voucher_no", ""),
            at=timezone.now(),
        )
    if attempt.ok:
        messages.success(request, gettext("拨付已登记。"))
    return redirect("funds:item", pk=item.pk)


def _payment_or_404(request, pk: int) -> Payment:
    payment = selectors.payment_queryset(request.user).filter(pk=pk).first()
    if payment is None:
        raise not_found(Payment, pk, gettext("拨付记录不存在或无权访问"))
    return payment


@require_POST
@guard("funds.pay")
def payment_reverse(request, pk: int):
    payment = _payment_or_404(request, pk)
    with refused(request=request) as attempt:
        services.payment_reverse(
            user=request.user, payment=payment, reason=request.POST.get("reason", ""), at=timezone.now()
        )
    if attempt.ok:
        messages.success(request, gettext("拨付已冲回，预算已恢复。"))
    return redirect("funds:item", pk=payment.item_id)


@guard("funds.view")
def payment_notice(request, pk: int):
    """资金拨付通知 (.docx, GB/T 9704-2012) of one payment; the download is audited."""
    payment = _payment_or_404(request, pk)
    with translation.override("zh-hans"):  # an official document reads in Chinese in either interface
        data = documents.payment_notice(payment).to_bytes()
    audit.record("export", obj=payment, message=f"下载资金拨付通知 {payment.voucher_no}")
    return docx_response(f"{documents.notice_title(payment)}（{payment.voucher_no}）.docx", data)


@guard("funds.ledger")
def budgets(request):
    year = _year(request)
    if request.method == "POST":
        require(request.user, "funds.budget")
        region = None
        code = request.POST.get("unit") or ""
        if code:
            region = Region.objects.filter(code=code, level=Region.Level.UNIT).first()
        with refused(request=request) as attempt:
            if code and region is None:
                raise ValidationError({"unit": [gettext("未知的报送单位：%(code)s") % {"code": code}]})
            services.budget_allocate(
                user=request.user,
                year=int_param(request.POST.get("year"), default=year, lo=2000, hi=2100),
                level=Level.COUNTY if region is not None else Level.PREFECTURE,
                region=region,
                allocated_yuan=request.POST.get("allocated_yuan", ""),
                reason=request.POST.get("reason", ""),
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("预算安排已保存。"))
        return redirect(f"{request.path}?year={year}")
    book = ledger.build(request.user, year)
    chart = budget_chart(book)
    return render(
        request,
        "funds/budgets.html",
        {
            "year": year,
            "book": book,
            "chart": chart,
            "years": ledger.budget_years(request.user) or [year],
            "may_budget": can(request.user, "funds.budget"),
            "units": Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "code"),
            "queued": selectors.item_queryset(request.user)
            .filter(year=year, state=ItemState.QUEUED)
            .order_by("decided_at", "pk"),
        },
    )


@guard("funds.ledger")
def ledger_page(request):
    year = _year(request)
    f = _filters(request)
    book = ledger.build(request.user, year, **f)
    if request.GET.get("format") == "xlsx":
        audit.record(
            "export", object_type="funds.ledger", object_id=str(year), message=f"导出{year}年奖补资金台账"
        )
        with translation.override("zh-hans"):  # an official document reads in Chinese in either interface
            data = exports.ledger_xlsx(book)
        return xlsx_response(f"{year}年奖补资金台账.xlsx", data)
    page = Paginator(book.item_values, 200).get_page(request.GET.get("page"))
    page.object_list = list(ledger.labelled(page.object_list))
    return render(
        request,
        "funds/ledger.html",
        {
            "year": year,
            "book": book,
            "page": page,
            **f,
            **_choices(request.user),
            "years": ledger.budget_years(request.user) or [year],
            "query": _query(request),
        },
    )


@guard("funds.view")
def statement(request, pk: int):
    """One enterprise's statement (对账单): every item across years, with payments and reversals."""
    enterprise = Enterprise.objects.filter(pk=pk).first()
    if enterprise is None or not in_unit(request.user, enterprise):
        raise not_found(Enterprise, pk, gettext("企业不存在或无权访问"))
    items = ledger.statement(request.user, enterprise.pk)
    totals = {
        "approved": sum((i.approved_yuan for i in items if not i.unapproved), 0),
        "paid": sum((i.paid_yuan for i in items), 0),
        "recover": sum((i.recover_yuan for i in items), 0),
    }
    return render(
        request, "funds/statement.html", {"enterprise": enterprise, "items": items, "totals": totals}
    )
