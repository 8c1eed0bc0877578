"""Row level for finance (3.4): who sees which records, as filters every path uses (page, API, export).

- the programme office, the finance bureau and a leader: everything;
- a county clerk: the records of their county's projects;
- an enterprise: its own projects' needs, loans, intentions and claims;
- a bank user: its own bank's loans, intentions, claims and policies, the needs open to banks (and those
  its loans met), the meetings its bank attended; a bank user without a bank sees nothing.

A record outside these answers 404 like a missing one (``not_found``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jigai.accounts.models import Role
from jigai.accounts.permissions import ALL_UNITS_ROLES

from .models import (
    Bank,
    BankMembership,
    CompensationClaim,
    FinancingNeed,
    GuaranteePolicy,
    Intention,
    Loan,
    MatchMeeting,
    NeedStatus,
)


def bank_of(user) -> Bank | None:
    """The bank a bank user works for (``BankMembership``), or None."""
    if user is None or not user.is_authenticated or user.role != Role.BANK:
        return None
    m = BankMembership.objects.select_related("bank").filter(user=user).first()
    return m.bank if m is not None and m.bank.is_active else None


def _project_scope(user, qs: QuerySet, prefix: str) -> QuerySet | None:
    """The filter shared by every record that hangs off a project; None for a bank user."""
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(**{f"{prefix}region_id": user.region_id}) if user.region_id else qs.none()
    if user.role == Role.ENTERPRISE:
        return (
            qs.filter(**{f"{prefix}enterprise__credit_code": user.credit_code})
            if user.credit_code
            else qs.none()
        )
    if user.role == Role.BANK:
        return None
    return qs.none()


def needs(user) -> QuerySet[FinancingNeed]:
    qs = FinancingNeed.objects.all()
    scoped = _project_scope(user, qs, "project__")
    if scoped is not None:
        return scoped
    bank = bank_of(user)
    if bank is None:
        return qs.none()
    return qs.filter(Q(status=NeedStatus.OPEN) | Q(loans__bank=bank)).distinct()


def loans(user) -> QuerySet[Loan]:
    qs = Loan.objects.all()
    scoped = _project_scope(user, qs, "project__")
    if scoped is not None:
        return scoped
    bank = bank_of(user)
    return qs.filter(bank=bank) if bank is not None else qs.none()


def intentions(user) -> QuerySet[Intention]:
    qs = Intention.objects.all()
    scoped = _project_scope(user, qs, "project__")
    if scoped is not None:
        return scoped
    bank = bank_of(user)
    return qs.filter(bank=bank) if bank is not None else qs.none()


def claims(user) -> QuerySet[CompensationClaim]:
    qs = CompensationClaim.objects.all()
    scoped = _project_scope(user, qs, "loan__project__")
    if scoped is not None:
        return scoped
    bank = bank_of(user)
    return qs.filter(loan__bank=bank) if bank is not None else qs.none()


def policies(user) -> QuerySet[GuaranteePolicy]:
    qs = GuaranteePolicy.objects.all()
    scoped = _project_scope(user, qs, "loan__project__")
    if scoped is not None:
        return scoped
    bank = bank_of(user)
    return qs.filter(loan__bank=bank) if bank is not None else qs.none()


def meetings(user) -> QuerySet[MatchMeeting]:
    qs = MatchMeeting.objects.all()
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(Q(region__isnull=True) | Q(region_id=user.region_id)).distinct()
    if user.role == Role.ENTERPRISE:
        return (
            qs.filter(enterprises__credit_code=user.credit_code).distinct() if user.credit_code else qs.none()
        )
    bank = bank_of(user)
    return qs.filter(banks=bank).distinct() if bank is not None else qs.none()
