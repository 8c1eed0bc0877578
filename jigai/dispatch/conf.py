"""Settings of the monthly dispatch, each read with its default (config/settings need not name them).

Every figure the platform uses to judge a report or a unit is here, so the programme office can change
it without a code change, and the published bulletin records the values it used.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

DEFAULTS = {
    # 4.2 月调度: a month's report is due on this day of the following month.
    "JIGAI_REPORT_DEADLINE_DAY": 5,
    # A month "far out of line": more than this many times the median of the project's other months…
    "JIGAI_DISPATCH_OUTLIER_FACTOR": Decimal(3),
    # …counted only when the project has at least this many other months with investment.
    "JIGAI_DISPATCH_OUTLIER_MIN_MONTHS": 3,
    # A unit's project-library sum differs from its official figure by more than this share of it. The
    # library never holds every tech-renovation investment the statistics count, so only a gap of half
    # the official figure is "far" by default.
    "JIGAI_DISPATCH_LIBRARY_GAP": Decimal("0.50"),
    # 序时进度: a project is behind when its investment share trails the time share by more than this.
    "JIGAI_DISPATCH_SCHEDULE_TOLERANCE": Decimal("0.10"),
    # 2.1.a: 工业投资年增长15%以上，技改投资年增长20%以上.
    "JIGAI_TARGET_INDUSTRIAL_GROWTH": Decimal("0.15"),
    "JIGAI_TARGET_TECH_GROWTH": Decimal("0.20"),
    # 2.1.b: 每年实施100个以上技改项目.
    "JIGAI_TARGET_PROJECTS_PER_YEAR": 100,
    # The bulletin as an official document (docs/documents.md).
    "JIGAI_BULLETIN_ISSUER": "恩施州传统产业改造升级工作领导小组办公室",
    "JIGAI_BULLETIN_NUMBER_PREFIX": "恩施州技改办",
    "JIGAI_BULLETIN_ADDRESSEES": "各县市人民政府，州高新区管委会",
    "JIGAI_BULLETIN_SIGNATURE": "恩施州传统产业改造升级工作领导小组办公室",
    "JIGAI_BULLETIN_PRINTER": "恩施州经济和信息化委员会办公室",
    # The seed's 发：/送： lines (版记).
    "JIGAI_BULLETIN_DISTRIBUTION": (
        ("发", "各县市人民政府，州高新区管委会，州传统产业改造升级工作领导小组各成员单位"),
        ("送", "州委办公室，州人大常委会办公室，州政府办公室，州政协办公室"),
    ),
}


def get(name: str):
    value = getattr(settings, name, DEFAULTS[name])
    default = DEFAULTS[name]
    if isinstance(default, Decimal) and not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value


def deadline_day() -> int:
    day = int(get("JIGAI_REPORT_DEADLINE_DAY"))
    return min(max(day, 1), 28)


def used_settings() -> dict[str, str]:
    """The values a bulletin was computed with, recorded in its snapshot."""
    names = (
        "JIGAI_REPORT_DEADLINE_DAY", "JIGAI_DISPATCH_OUTLIER_FACTOR", "JIGAI_DISPATCH_OUTLIER_MIN_MONTHS",
        "JIGAI_DISPATCH_LIBRARY_GAP", "JIGAI_DISPATCH_SCHEDULE_TOLERANCE", "JIGAI_TARGET_INDUSTRIAL_GROWTH",
        "JIGAI_TARGET_TECH_GROWTH", "JIGAI_TARGET_PROJECTS_PER_YEAR",
    )  # fmt: skip
    return {n: str(get(n)) for n in names}
