"""The enterprise-service figures a home page shows (3.5): approval items overdue and falling due within
five working days, and filings waiting for a manual check. Read through the support selectors' scope; a
county clerk's figures count their county's projects only — not the projects elsewhere they may serve
as secretary — so a clerk never sees another county's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jigai.accounts.models import Role
from jigai.core import workdays

from . import selectors
from .models import Outcome, State

SOON_WORKDAYS = 5


def _own_county(user, qs, prefix: str = "project__"):
    if user.role == Role.CLERK:
        return qs.filter(**{f"{prefix}region_id": user.region_id}) if user.region_id else qs.none()
    return qs


@dataclass(frozen=True)
class Approvals:
    overdue: int  # in progress, past their due date
    due_soon: int  # in progress, due from today to the fifth working day after it
    soon_until: dt.date


def soon_until(today: dt.date) -> dt.date:
    """The last day of "due within five working days"; a week when the calendar does not cover it."""
    try:
        return workdays.add(today, SOON_WORKDAYS)
    except workdays.CalendarNotCovered:
        return today + dt.timedelta(days=7)


def approvals(user, today: dt.date) -> Approvals:
    running = _own_county(user, selectors.items_for(user)).filter(state=State.IN_PROGRESS)
    until = soon_until(today)
    return Approvals(
        overdue=running.filter(due_date__lt=today).count(),
        due_soon=running.filter(due_date__gte=today, due_date__lte=until).count(),
        soon_until=until,
    )


def filings_waiting(user) -> int:
    """Online filings the 3.5 rule sent to a manual check (需人工审核)."""
    return _own_county(user, selectors.filings_for(user)).filter(outcome=Outcome.REVIEW).count()
