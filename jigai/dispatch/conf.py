"""Settings of the monthly dispatch that belong to this installation, each read with its default
(config/settings need not name them): how far out of line a month must be to be flagged, the schedule
tolerance, and the bulletin's issuing office.

The programme's own figures (the report deadline 4.2, the targets 2.1/2.2, the library-vs-official gap of
docs/programme.md, reading 10) are dated parameters: ``jigai.core.programme``. ``used_settings`` records both in a published
bulletin's snapshot.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from jigai.core import programme

DEFAULTS = {
    # A month "far out of line": more than this many times the median of the project's other months…
    "JIGAI_DISPATCH_OUTLIER_FACTOR": Decimal(3),
    # …counted only when the project has at least this many other months with investment.
    "JIGAI_DISPATCH_OUTLIER_MIN_MONTHS": 3,
    # 序时进度: a project is behind when its investment share trails the time share by more than this.
    "JIGAI_DISPATCH_SCHEDULE_TOLERANCE": Decimal("0.10"),
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

#: The programme figures a bulletin uses, under the names its snapshot has always recorded them by
#: (bulletins published before they became parameters, and ``render``, read these keys).
PROGRAMME_SNAPSHOT_NAMES = {
    "JIGAI_REPORT_DEADLINE_DAY": "4.2.report_deadline_day",
    "JIGAI_DISPATCH_LIBRARY_GAP": "4.3.library_gap_share",
    "JIGAI_TARGET_INDUSTRIAL_GROWTH": "2.1.a.industrial_growth",
    "JIGAI_TARGET_TECH_GROWTH": "2.1.a.tech_growth",
    "JIGAI_TARGET_PROJECTS_PER_YEAR": "2.1.b.projects_per_year",
}


def get(name: str):
    value = getattr(settings, name, DEFAULTS[name])
    default = DEFAULTS[name]
    if isinstance(default, Decimal) and not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value


def snapshot_text(value) -> str:
    """A figure as the snapshot writes it: a ratio with at least two decimals ("0.20"), as it always has."""
    if isinstance(value, Decimal) and value == value.quantize(Decimal("0.01")):
        return f"{value:.2f}"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def used_settings(year: int) -> dict[str, str]:
    """The values a bulletin of ``year`` was computed with, recorded in its snapshot ("settings")."""
    own = {n: str(get(n)) for n in DEFAULTS if n.startswith("JIGAI_DISPATCH_")}
    figures = {n: snapshot_text(programme.value(p, year)) for n, p in PROGRAMME_SNAPSHOT_NAMES.items()}
    names = (
        "JIGAI_REPORT_DEADLINE_DAY", "JIGAI_DISPATCH_OUTLIER_FACTOR", "JIGAI_DISPATCH_OUTLIER_MIN_MONTHS",
        "JIGAI_DISPATCH_LIBRARY_GAP", "JIGAI_DISPATCH_SCHEDULE_TOLERANCE", "JIGAI_TARGET_INDUSTRIAL_GROWTH",
        "JIGAI_TARGET_TECH_GROWTH", "JIGAI_TARGET_PROJECTS_PER_YEAR",
    )  # fmt: skip
    values = {**own, **figures}
    return {n: values[n] for n in names}


def used_parameters(year: int) -> list[dict]:
    """The programme figures a bulletin of ``year`` used, each with its clause and period (snapshot)."""
    return [programme.figure(p, year).to_dict() for p in PROGRAMME_SNAPSHOT_NAMES.values()]
