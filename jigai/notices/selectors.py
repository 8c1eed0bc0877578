"""Reads of public notices. The public page reads only the published figures of each line (enterprise,
project, clause, amount); objections (who raised them, how to reach them) are for the office, the finance
bureau and leaders, and for a clerk those of their own unit's lines."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from jigai.accounts.models import Role
from jigai.funds.models import Item, ItemState

from .models import Notice, NoticeEntry, NoticeState, Objection

ALL_OBJECTIONS_ROLES = frozenset({Role.OFFICE, Role.FINANCE, Role.LEADER})


def public_notices() -> QuerySet[Notice]:
    return Notice.objects.annotate(n=Count("entries")).order_by("-starts_on", "-id")


def public_entries(notice: Notice) -> QuerySet[NoticeEntry]:
    """Only the columns the public page shows: nothing of the item beyond what was published."""
    return notice.entries.only(
        "position",
        "unit_name",
        "enterprise_name",
        "project_name",
        "clause",
        "clause_label",
        "amount_yuan",
        "notice",
    ).order_by("position")


def notice_list(user) -> QuerySet[Notice]:
    return Notice.objects.select_related("published_by").annotate(
        n=Count("entries"),
        open_objections=Count("entries__objections", filter=Q(entries__objections__upheld__isnull=True)),
    )


def objections_visible(user) -> QuerySet[Objection]:
    qs = Objection.objects.select_related("entry__notice", "entry__item", "recorded_by", "resolved_by")
    if user.role in ALL_OBJECTIONS_ROLES:
        return qs
    if user.role == Role.CLERK and user.region_id is not None:
        return qs.filter(entry__item__region_id=user.region_id)
    return qs.none()


def notice_detail(user, pk: int) -> Notice | None:
    return (
        Notice.objects.select_related("published_by", "ended_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=NoticeEntry.objects.select_related("item").order_by("position"),
            ),
            Prefetch("entries__objections", queryset=objections_visible(user).order_by("received_on", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def entry_detail(user, pk: int) -> NoticeEntry | None:
    return NoticeEntry.objects.select_related("notice", "item").filter(pk=pk).first()


def objection_detail(user, pk: int) -> Objection | None:
    return objections_visible(user).filter(pk=pk).first()


def items_to_publish() -> QuerySet[Item]:
    """Approved items not yet on a notice (已批准), in the order the office publishes them."""
    return (
        Item.objects.filter(state=ItemState.APPROVED)
        .select_related("enterprise", "project", "region", "batch")
        .order_by("year", "region__sort_order", "clause", "enterprise__name", "pk")
    )


def open_notices() -> QuerySet[Notice]:
    return Notice.objects.filter(state=NoticeState.OPEN)
