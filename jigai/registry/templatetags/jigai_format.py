from django import template

from jigai.core.money import format_wan

register = template.Library()


@register.filter
def wan(value, places=2):
    """Yuan → 万元 for display, exact half-up rounding to the given places."""
    if isinstance(value, float):  # a figure that went through JSON: its shortest exact text
        value = repr(value)
    return format_wan(value, places=int(places), grouping=True)


@register.filter
def yesno_cn(value):
    return "是" if value else "否"
