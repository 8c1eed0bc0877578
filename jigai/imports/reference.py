"""Reference lists the import engine needs for drop-downs and choice parsers.

The nine reporting units come from ``programme.md`` ("The nine regions"). When ``jigai.core`` publishes
its own reference data, tables should build their :class:`~jigai.imports.parsers.Choice` from it; this
list stays as the engine's default and its tests' fixture.
"""

from __future__ import annotations

from .parsers import Choice, Option

REPORTING_UNITS: tuple[Option, ...] = (
    Option("422801", "恩施市", ("恩施",)),
    Option("422802", "利川市", ("利川",)),
    Option("422822", "建始县", ("建始",)),
    Option("422823", "巴东县", ("巴东",)),
    Option("422825", "宣恩县", ("宣恩",)),
    Option("422826", "咸丰县", ("咸丰",)),
    Option("422827", "来凤县", ("来凤",)),
    Option("422828", "鹤峰县", ("鹤峰",)),
    Option(
        "GXQ",
        "州高新区",
        ("高新区", "恩施高新区", "州高新技术产业园区", "恩施高新技术产业园区", "恩施州高新区"),
    ),
)


def reporting_unit_choice() -> Choice:
    """Reporting unit by name (恩施市), short name (恩施), or code (422801, GXQ)."""
    return Choice(REPORTING_UNITS, what="填报单位")
