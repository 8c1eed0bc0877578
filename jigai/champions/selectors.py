"""Reads of champion declarations, scoped: the prefecture's roles all, a clerk their unit's, an enterprise
its own (another's answers 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from jigai.accounts.models import Role
from jigai.accounts.permissions import ALL_UNITS_ROLES, in_unit

from .models import Declaration, State


def declaration_queryset(user) -> QuerySet[Declaration]:
    qs = Declaration.objects.select_related("enterprise", "enterprise__region", "declared_by", "verified_by")
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK and user.region_id is not None:
        return qs.filter(enterprise__region_id=user.region_id)
    if user.role == Role.ENTERPRISE and user.credit_code:
        return qs.filter(enterprise__credit_code=user.credit_code)
    return qs.none()


def declaration_list(user, *, year: int | None = None, state: str | None = None) -> QuerySet[Declaration]:
    qs = declaration_queryset(user)
    if year is not None:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "enterprise__name", "pk")


def declaration_detail(user, pk: int) -> Declaration | None:
    d = declaration_queryset(user).filter(pk=pk).first()
    return d if d is not None and in_unit(user, d) else None


def waiting_verification() -> QuerySet[Declaration]:
    return Declaration.objects.filter(state=State.SUBMITTED).select_related("enterprise__region")
