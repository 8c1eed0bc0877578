from django import template

from jigai.assessment.ranking import FLAGS

register = template.Library()


@register.filter
def flag_label(code):
    return FLAGS.get(code, code)


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
