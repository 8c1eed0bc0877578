from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.assessment.ranking import FLAGS

from ..periods import QUARTER

register = template.Library()

_QUARTERS = (_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度"))
_HALVES = (_("上半年"), _("下半年"))


@register.filter
def flag_label(code):
    return FLAGS.get(code, code)


@register.filter
def period_label(period):
    """A period's label in the active language (``Period.label`` stays Chinese for documents)."""
    if not hasattr(period, "kind"):
        return period
    parts = _QUARTERS if period.kind == QUARTER else _HALVES
    return gettext("%(year)s年%(part)s") % {"year": period.year, "part": parts[period.index - 1]}


@register.filter
def window_label(window):
    """A ranking window's months (``Window.label``) in the active language: 1月, 4—6月."""
    if window.end_month > window.after_month + 1:
        return gettext("%(first)s—%(last)s月") % {"first": window.after_month + 1, "last": window.end_month}
    return gettext("%(month)s月") % {"month": window.end_month}


@register.filter
def pct(value):
    """A growth_pct string ("12.35") as "12.35%"; None as "—"."""
    return "—" if value in (None, "") else f"{value}%"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
