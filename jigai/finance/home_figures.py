"""The finance figures a home page shows (3.4): open financing needs, the year's loans and the year's
应贷尽贷 coverage, each read through the same row-level filters as the finance pages (``access``), so a
county clerk's figures are their county's and nobody else's (docs/security.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from . import selectors
from .models import NeedStatus


@dataclass(frozen=True)
class Watched:
    count: int
    yuan: Decimal


def open_needs(user) -> Watched:
    """Financing needs still open (待对接), as the needs page lists them with ``?status=open``."""
    needs = selectors.need_list(user, status=NeedStatus.OPEN)
    return Watched(needs.count(), needs.aggregate(s=Sum("amount_yuan"))["s"] or Decimal("0.00"))


def loans_in_year(user, year: int) -> Watched:
    """Loans issued in ``year`` that the user sees, as the loans page lists them with ``?year=``."""
    loans = selectors.loan_list(user, year=year)
    return Watched(loans.count(), loans.aggregate(s=Sum("amount_yuan"))["s"] or Decimal("0.00"))


def coverage_ratio(user, year: int) -> Decimal | None:
    """应贷尽贷 for the needs posted in ``year`` the user sees (the coverage page's 合计 row: a clerk's
    county only): the share of the amount needed met by loans, in per cent; None without needs."""
    total = selectors.coverage(user, year)["total"]
    return total.ratio if total is not None else None
