from django import template

from jigai.core.money import format_wan

register = template.Library()


@register.filter
def wan(value, places=2):
    """Yuan → 万元 for display, exact half-up rounding to the given places."""
    return format_wan(value, int(places))


@register.filter
def yesno_cn(value):
    return "是" if value else "否"
