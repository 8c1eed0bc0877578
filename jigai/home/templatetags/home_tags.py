from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def bar_class(pct) -> str:
    """A progress bar's width as a class (w-0 … w-100, in tens): the Content-Security-Policy allows no
    style attribute."""
    try:
        value = Decimal(str(pct))
    except (InvalidOperation, ValueError):
        return "w-0"
    tens = int(min(max(value, Decimal(0)), Decimal(100)) / 10 + Decimal("0.5"))
    return f"w-{tens * 10}"
