"""Settings of the enterprise services that are not law: each approval item type's responsible department
and time limit in working days (docs/operator-guide.md). The programme (3.5) promises the service, not the
limits; these are the platform's defaults, overridden by ``JIGAI_APPROVAL_TIME_LIMITS``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

# The department that handles each item (the programme's responsible units, 3.3 and 3.5).
DEPARTMENTS: dict[str, str] = {
    Kind.FILING: "州发改委",
    Kind.EIA: "州环保局",
    Kind.SAFETY: "州安监局",
    Kind.ENERGY: "州发改委",
    Kind.LAND: "州国土资源局",
    Kind.PLANNING: "州住建局（规划）",
    Kind.CONSTRUCTION: "州住建局",
    Kind.LAND_PLANNING: "州国土资源局",
    Kind.LAND_APPROVAL: "州国土资源局",
    Kind.LAND_SUPPLY: "州国土资源局",
}

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
