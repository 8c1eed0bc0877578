"""To-do items of the money path (jigai.core.todo): the finance bureau approves a prepared batch, the
programme office publishes approved items (公示), the finance bureau pays 待拨付 items."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext

from jigai.core.dates import local_date
from jigai.core.money import format_yuan_zh
from jigai.core.todo import Todo, provider

from .models import Batch, Item, ItemState


def _role(user) -> str | None:
    return None if user is None else getattr(user, "role", None)


@provider
def batches_to_approve(user, today):
    """州财政局: a batch with items waiting for the checker (never the batch's own maker)."""
    if _role(user) not in (None, "finance"):
        return
    batches = Batch.objects.filter(items__state=ItemState.SUBMITTED).annotate(n=Count("items")).distinct()
    if user is not None:
        batches = batches.exclude(prepared_by_id=user.pk)
    for b in batches.order_by("prepared_at", "pk"):
        if local_date(b.prepared_at) > today:
            continue
        yield Todo(
            key=f"funds.batch.{b.pk}.approve",
            title=gettext("审批报批批次“%(batch)s”") % {"batch": b.title},
            url=reverse("funds:batch", args=[b.pk]),
            step="funds.approve",
            since=local_date(b.prepared_at),
            actor=gettext("州财政局"),
        )


@provider
def items_to_publish(user, today):
    """州项目办: approved items (budget committed) wait for their public notice (公示), per year."""
    if _role(user) not in (None, "office"):
        return
    rows = (
        Item.objects.filter(state=ItemState.APPROVED, committed_at__isnull=False)
        .values("year")
        .annotate(n=Count("pk"), since=Min("committed_at"))
        .order_by("year")
    )
    for r in rows:
        since = local_date(r["since"])
        if since > today:
            continue
        yield Todo(
            key=f"funds.year.{r['year']}.publish",
            title=gettext("公示%(year)s年度已批准的奖补事项（%(count)s项）")
            % {"year": r["year"], "count": r["n"]},
            url=reverse("notices:list"),  # where the office publishes (jigai.notices)
            step="funds.publish",
            since=since,
            actor=gettext("州项目办"),
        )


@provider
def items_to_pay(user, today):
    """州财政局: an item whose notice ended without objection waits for its payment (拨付)."""
    if _role(user) not in (None, "finance"):
        return
    items = Item.objects.filter(state=ItemState.PAYABLE).select_related("enterprise", "region")
    for i in items.order_by("notice_ended_at", "pk"):
        since = local_date(i.notice_ended_at or i.committed_at or i.proposed_at)
        if since > today:
            continue
        yield Todo(
            key=f"funds.item.{i.pk}.pay",
            title=gettext("拨付%(enterprise)s的奖补资金（%(clause)s，%(yuan)s 元）")
            % {
                "enterprise": i.enterprise.name,
                "clause": i.clause,
                "yuan": format_yuan_zh(i.approved_yuan - i.paid_yuan),
            },
            url=reverse("funds:item", args=[i.pk]),
            step="funds.pay",
            since=since,
            actor=gettext("州财政局"),
            unit_code=i.region.code,
        )


__all__ = ["batches_to_approve", "items_to_pay", "items_to_publish"]
