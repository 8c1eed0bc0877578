"""Choice parsers for reference data (reporting units, industries), built from ``jigai.core.reference``
(docs/programme.md, "The nine reporting units" and "Reference data") plus the other names clerks write."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from jigai.core import reference

from .parsers import Choice, Option

# Names seen in county spreadsheets besides the official name and short name.
EXTRA_UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "GXQ": ("州高新区", "恩施高新区", "恩施州高新区", "州高新技术产业园区", "恩施高新技术产业园区"),
}


def _unit_options() -> tuple[Option, ...]:
    options = []
    for code, name, short, _division in reference.REPORTING_UNITS:
        aliases = [short]
        if name.endswith(("市", "县")) and len(name) > 2:
            aliases.append(name[:-1])  # 恩施市 → 恩施, 建始县 → 建始
        aliases.extend(EXTRA_UNIT_ALIASES.get(code, ()))
        aliases = [a for a in dict.fromkeys(aliases) if a not in (name, code)]
        options.append(Option(code, name, tuple(aliases)))
    return tuple(options)


REPORTING_UNITS: tuple[Option, ...] = _unit_options()
INDUSTRIES: tuple[Option, ...] = tuple(Option(code, name) for code, name, _section in reference.INDUSTRIES)


def reporting_unit_choice() -> Choice:
    """Reporting unit by name (恩施市), short name (恩施, 高新区) or code (422801, GXQ)."""
    return Choice(REPORTING_UNITS, what=gettext_noop("填报单位"))


def industry_choice() -> Choice:
    """GB/T 4754-2017 division by code (13), name (农副食品加工业) or both (13 农副食品加工业)."""
    return Choice(INDUSTRIES, what=gettext_noop("行业"), show_code=True)
