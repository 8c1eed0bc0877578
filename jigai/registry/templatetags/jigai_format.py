from django import template

from jigai.core.money import format_wan, format_yuan_zh

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


@register.filter
def yuan(value):
    """Yuan with grouping and two decimals (123,456.78), exact."""
    if value in (None, ""):
        return ""
    return format_yuan_zh(value)
