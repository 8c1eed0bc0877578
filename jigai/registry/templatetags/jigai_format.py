from decimal import Decimal

from django import template

from jigai.core.money import format_wan, format_yuan_zh

register = template.Library()


@register.filter
def wan(value, places=2):
    """Yuan → 万元 for display, with thousands separators: ``places`` decimals (two by default), more only
    where they carry a digit (a clerk's 300.0001 stays 300.0001), so an amount reads the same in a list
    and on its detail page and nothing typed is rounded away."""
    if isinstance(value, float):  # a figure that went through JSON: its shortest exact text
        value = repr(value)
    if value is None or value == "":
        return format_wan(None)
    places = int(places)
    exact = Decimal(str(value)).scaleb(-4)
    while places < 6 and exact != exact.quantize(Decimal(1).scaleb(-places)):
        places += 1
    return format_wan(value, places=places, grouping=True)


@register.filter
def yesno_cn(value):
    return "是" if value else "否"


@register.filter
def yuan(value):
    """Yuan with grouping and two decimals (123,456.78), exact."""
    if value in (None, ""):
        return ""
    return format_yuan_zh(value)
