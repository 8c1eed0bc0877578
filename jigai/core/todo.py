"""The to-do list (待办): what waits on whom, gathered from every app.

Each app that hands work to a next actor declares a provider in its own ``todos.py`` module:

    from jigai.core.todo import Todo, provider

    @provider
    def applications_to_check(user, today):
        # user is a User (items for that user only) or None (every item, for reminders and the
        # accountability list); today is the date asked for, never the clock.
        ...
        yield Todo(key=f"incentives.application.{a.pk}.check",
                   title=gettext("审核%(enterprise)s的奖补申报（%(project)s）") % {…}, url=…,
                   step="application.check", since=local_date(a.submitted_at),
                   actor=gettext("%(unit)s经办人") % {"unit": a.region.name}, unit_code="422801")

Titles, actors and details are words of the active language: mark them with ``gettext`` and named
placeholders (never an f-string), as above; items are computed per request, so the English interface
reads them in English, while reminders (jigai/home/services.py) and official documents compute them
under ``translation.override("zh-hans")``.

Items are computed from the records' own state, never stored, so they cannot drift from it: an item
disappears when the step is done. ``deadline`` counts the step's time limit in working days on China's
official calendar (``core.workdays``); the limits are the setting ``JIGAI_TODO_DEADLINES`` (step →
working days), with ``DEFAULT_DEADLINES`` below. Every installed app's ``todos`` module is imported once, the first time
items are asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import autodiscover_modules

from . import workdays

# Time limits per step in working days. A step absent here has no deadline.
DEFAULT_DEADLINES: dict[str, int] = {
    # lane apps (applications, jigai/incentives/todos.py): the clerk checks, the team inspects, the office
    # hands the decision to funds, the enterprise corrects a returned application.
    "application.check": 5,
    "application.inspect": 20,
    "application.propose": 5,
    "application.correct": 10,
    # Public notice (lane attach): resolve an objection, end an expired notice (publishing: funds.publish).
    "notice.objection": 10,
    "notice.end": 2,
    # Champion declarations (lane attach): the office verifies, the declarer corrects a returned one.
    "champion.verify": 10,
    "champion.resubmit": 10,
    # funds (lane funds): finance approves a prepared batch, the office publishes approved items (公示),
    # finance pays an item whose notice ended without objection. Working days; not law (operator-guide).
    "funds.approve": 10,
    "funds.publish": 5,
    "funds.pay": 10,
    # Home lane: the interviews' office steps (4.3; the rectification report's deadline is the record's
    # own date, and the monthly report's the programme's deadline day, so neither is here).
    "interview.notify": 5,
    "interview.record": 15,
    "interview.close": 10,
    # Finance support (3.4; lane finance): a bank answers an open financing need, the office reviews a
    # compensation claim, the finance bureau pays an approved one.
    "finance.need.respond": 10,
    "finance.claim.review": 10,
    "finance.claim.pay": 5,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Todo:
    key: str  # stable and unique: "<app>.<kind>.<pk>.<step>"; reminders are sent at most once per key and day
    title: str  # what to do, in the active language: "审核恩施某公司的奖补申报"
    url: str  # where it is done
    step: str  # the step whose time limit applies, e.g. "application.check"
    since: dt.date  # the day the item reached its actor
    actor: str = ""  # who must act, in words ("州财政局", "来凤县经办人", a person's name)
    unit_code: str | None = None  # the reporting unit concerned, if any (for the accountability list)
    due: dt.date | None = None  # explicit due date; else computed from the step's time limit
    detail: str = ""
    # The actor answers under 4.3 (不作为、慢作为的部门): a government department or one of its officials.
    # False for a bank or an enterprise: their overdue items stay on their lists and reminders but never
    # reach the accountability list (docs/programme.md, reading 23).
    accountable: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def due_date(self) -> dt.date | None:
        """The explicit due date, else ``since`` plus the step's time limit in working days; None when
        the step has no limit or the working calendar does not cover the dates."""
        if self.due is not None:
            return self.due
        return deadline(self.step, self.since)

    def overdue_on(self, today: dt.date) -> bool:
        due = self.due_date()
        return due is not None and today > due


Provider = Callable[[object, dt.date], Iterable[Todo]]
PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    """Register ``func(user_or_None, today)`` as a source of to-do items."""
    if func not in PROVIDERS:
        PROVIDERS.append(func)
    return func


_discovered = False


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("todos")
        _discovered = True


def step_limits() -> dict[str, int]:
    return {**DEFAULT_DEADLINES, **getattr(settings, "JIGAI_TODO_DEADLINES", {})}


def deadline(step: str, since: dt.date) -> dt.date | None:
    days = step_limits().get(step)
    if days is None:
        return None
    try:
        return workdays.add(since, days)
    except workdays.CalendarNotCovered:
        return None


def todos_for(user, today: dt.date) -> list[Todo]:
    """Every item waiting on ``user`` at ``today``, the oldest deadline first."""
    discover()
    items = [item for p in PROVIDERS for item in p(user, today)]
    return sorted(items, key=lambda t: (t.due_date() or dt.date.max, t.since, t.key))


def all_todos(today: dt.date) -> list[Todo]:
    """Every item of every actor (reminders, the accountability list)."""
    return todos_for(None, today)


def overdue(today: dt.date) -> list[Todo]:
    """Items past their deadline at ``today``; the ``accountable`` ones feed the accountability list (4.3
    不作为、慢作为; docs/programme.md, reading 23)."""
    return [t for t in all_todos(today) if t.overdue_on(today)]
