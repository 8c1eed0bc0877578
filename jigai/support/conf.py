"""Settings of the enterprise services that are not law: each approval item type's responsible department
and time limit in working days (docs/operator-guide.md). The programme (3.5) promises the service, not the
limits; these are the platform's defaults, overridden by ``JIGAI_APPROVAL_TIME_LIMITS``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class Kind(models.TextChoices):
    """The approvals a technical-renovation project may need (3.5: 环评、安评、土地报批等“一对一”全程服务),
    and the priority handling of its land (3.3: 优先规划，优先报批，优先供应)."""

    FILING = "filing", _("项目备案")
    EIA = "eia", _("环评")
    SAFETY = "safety", _("安评")
    ENERGY = "energy", _("能评")
    LAND = "land", _("土地报批")
    PLANNING = "planning", _("规划许可")
    CONSTRUCTION = "construction", _("施工许可")
    LAND_PLANNING = "land_planning", _("用地优先规划")
    LAND_APPROVAL = "land_approval", _("用地优先报批")
    LAND_SUPPLY = "land_supply", _("用地优先供应")


LAND_PRIORITY = (Kind.LAND_PLANNING, Kind.LAND_APPROVAL, Kind.LAND_SUPPLY)

# The department that handles each item (the programme's responsible units, 3.3 and 3.5). Stored in
# Chinese on the item (an official may retype it); the pages translate these defaults (``translated``).
DEPARTMENTS: dict[str, str] = {
    Kind.FILING: gettext_noop("州发改委"),
    Kind.EIA: gettext_noop("州环保局"),
    Kind.SAFETY: gettext_noop("州安监局"),
    Kind.ENERGY: gettext_noop("州发改委"),
    Kind.LAND: gettext_noop("州国土资源局"),
    Kind.PLANNING: gettext_noop("州住建局（规划）"),
    Kind.CONSTRUCTION: gettext_noop("州住建局"),
    Kind.LAND_PLANNING: gettext_noop("州国土资源局"),
    Kind.LAND_APPROVAL: gettext_noop("州国土资源局"),
    Kind.LAND_SUPPLY: gettext_noop("州国土资源局"),
}

# The approvals the 3.5 rule names (jigai/policy/measures.py APPROVAL_*): a filing keeps them in Chinese
# (its receipt lists them); the pages translate them by their Chinese text (``translated``).
APPROVAL_NAMES = (
    gettext_noop("项目备案（核准）"),
    gettext_noop("环评（环境影响评价）"),
    gettext_noop("安评（安全评价）"),
    gettext_noop("土地报批"),
    gettext_noop("规划许可（建设工程规划许可）"),
    gettext_noop("能评（节能审查）"),
)

# An item in progress (or a meeting's decision) due within this many working days shows amber (due soon).
DUE_SOON_WORKDAYS = 3

# Time limits in working days, counted from the day the item is taken in (办理中).
DEFAULT_TIME_LIMITS: dict[str, int] = {
    Kind.FILING: 3,
    Kind.EIA: 30,
    Kind.SAFETY: 20,
    Kind.ENERGY: 20,
    Kind.LAND: 30,
    Kind.PLANNING: 20,
    Kind.CONSTRUCTION: 7,
    Kind.LAND_PLANNING: 10,
    Kind.LAND_APPROVAL: 15,
    Kind.LAND_SUPPLY: 20,
}


def time_limit(kind: str) -> int:
    limits = {**DEFAULT_TIME_LIMITS, **getattr(settings, "JIGAI_APPROVAL_TIME_LIMITS", {})}
    return int(limits[kind])


# The 3.5 rule names approvals in words (jigai/policy/measures.py); each maps to an item type by the word
# that identifies it, so a new wording of the rule still lands on its item.
_WORDS = (
    ("环评", Kind.EIA),
    ("安评", Kind.SAFETY),
    ("能评", Kind.ENERGY),
    ("节能", Kind.ENERGY),
    ("土地", Kind.LAND),
    ("用地", Kind.LAND),
    ("施工", Kind.CONSTRUCTION),
    ("规划", Kind.PLANNING),
    ("备案", Kind.FILING),
    ("核准", Kind.FILING),
)


def kind_of(approval: str) -> str | None:
    for word, kind in _WORDS:
        if word in approval:
            return kind
    return None


def due_soon_until(today: dt.date) -> dt.date:
    """The last day that counts as due soon on ``today``: DUE_SOON_WORKDAYS working days ahead on the
    official calendar, or as many calendar days plus a weekend where the calendar does not reach."""
    from jigai.core import workdays

    try:
        return workdays.add(today, DUE_SOON_WORKDAYS)
    except workdays.CalendarNotCovered:
        return today + dt.timedelta(days=DUE_SOON_WORKDAYS + 2)


def deadline_tone(due: dt.date | None, today: dt.date) -> str:
    """``late`` past ``due``, ``risk`` when due soon, else ''."""
    if due is None:
        return ""
    if due < today:
        return "late"
    return "risk" if due <= due_soon_until(today) else ""
