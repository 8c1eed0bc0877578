"""Reads of the money path, scoped by role: the prefecture's roles see every unit, a clerk their unit's
items and budget, an enterprise its own items (another's answers 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jigai.accounts.permissions import in_unit, scope

from .models import Batch, Budget, Item, Level, Payment


def items_for_source(source: str) -> list[Item]:
    """The items the money path holds for one decider's source (the contract with incentives and
    champions): state and its Chinese label, approved and paid amounts, notice and payment dates."""
    return list(
        Item.objects.filter(source=source)
        .select_related("batch")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
        .order_by("seq")
    )


def item_queryset(user) -> QuerySet[Item]:
    qs = Item.objects.select_related("enterprise", "project", "region", "batch", "decided_by")
    if user is None:  # the operator's command line: every unit
        return qs
    return scope(user, qs, credit_code="enterprise__credit_code")


def item_detail(user, pk: int) -> Item | None:
    item = (
        item_queryset(user)
        .prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.select_related("by", "reversed_by").order_by("at", "pk")
            )
        )
        .filter(pk=pk)
        .first()
    )
    return item if item is not None and in_unit(user, item) else None


def item_list(
    user,
    *,
    year: int | None = None,
    region_code: str | None = None,
    clause: str | None = None,
    state: str | None = None,
) -> QuerySet[Item]:
    qs = item_queryset(user)
    if year is not None:
        qs = qs.filter(year=year)
    if region_code:
        qs = qs.filter(region__code=region_code)
    if clause:
        qs = qs.filter(clause=clause)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("year", "region__sort_order", "enterprise__name", "source", "seq")


def batch_queryset(user) -> QuerySet[Batch]:
    if user.role not in ("office", "finance", "leader"):
        return Batch.objects.none()
    return Batch.objects.select_related("prepared_by")


def budget_queryset(user) -> QuerySet[Budget]:
    qs = Budget.objects.select_related("region")
    if user is None or user.role in ("office", "finance", "leader"):
        return qs
    if user.role == "clerk" and user.region_id is not None:
        return qs.filter(level=Level.COUNTY, region_id=user.region_id)
    return qs.none()


def payment_queryset(user) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("item", "item__enterprise", "item__region", "by", "reversed_by")
    if user.role in ("office", "finance", "leader"):
        return qs
    return qs.filter(item__in=item_queryset(user).values("pk"))
