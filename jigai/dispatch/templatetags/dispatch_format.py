from decimal import Decimal

from django import template

from jigai.core.money import format_wan
from jigai.documents import format_pct

from ..checks import FLAG_LABELS
from ..models import ProgressState
from ..selectors import STATUS_LABELS

register = template.Library()


@register.filter
def pct(value, places=2):
    """A ratio (Decimal or its text) as 12.35%; — when undefined."""
    if value is None or value == "":
        return "—"
    return format_pct(Decimal(str(value)), places=int(places))


@register.filter
def wan2(value):
    """Yuan (Decimal or text) → 万元 with two decimals and grouping; — when missing."""
    if value is None or value == "":
        return "—"
    return format_wan(Decimal(str(value)), grouping=True)


@register.filter
def state_label(value):
    return dict(ProgressState.choices).get(value, value)


@register.filter
def flag_label(code):
    from django.utils.translation import gettext

    return gettext(FLAG_LABELS[code]) if code in FLAG_LABELS else code


@register.filter
def status_label(code):
    from django.utils.translation import gettext

    return gettext(STATUS_LABELS[code]) if code in STATUS_LABELS else code


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def month_label(month):
    """A month's label in the active language (``Month.label`` stays Chinese for documents)."""
    from django.utils.translation import gettext

    return gettext("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


@register.filter
def moment_cn(value):
    """An ISO timestamp (a snapshot's ``as_of``) or a datetime as 2021年1月15日 15:00, Beijing time."""
    import datetime as dt

    from ..periods import BEIJING

    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING)
    from django.utils.translation import gettext

    return gettext("%(year)s年%(month)s月%(day)s日 %(time)s") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
        "time": f"{value:%H:%M}",
    }


@register.filter
def wan_exact(yuan):
    """Yuan as 万元 with every digit (for the month screen's own arithmetic): 3000000 → ``300``."""
    from jigai.core.money import format_wan_exact

    return format_wan_exact(yuan)
