"""The enterprise-services block on the library's project page: the project's secretary and how to reach
them, its approval items, its land determination (3.3, 3.5). The registry template includes it with
``{% load support_tags %}{% project_services project %}``; registry code does not import this app."""

import re

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from jigai.accounts.permissions import can

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("support/_project_block.html", takes_context=True)
def project_services(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.may_see(user, project):
        return {"show": False}
    land = selectors.land_of(project)
    return {
        "show": True,
        "project": project,
        "secretary": selectors.secretary_of(project),
        "items": selectors.project_items(project),
        "land_decision": services.land_decision(land) if land else None,
        "today": timezone.localdate(),
        "may_file": can(user, "support.filing"),
    }


@register.filter
def deadline(obj, today) -> str:
    """How an approval item's or a decision's deadline stands on ``today``, named as the colour classes
    name it: ``done`` (green), ``late`` (red), ``risk`` (amber, due within a few working days) or ''."""
    return obj.deadline_tone(today)


_CLAUSE_NOTE = re.compile(r"^第([0-9.]+)条：(.+)$")


@register.filter
def note_text(note: str) -> str:
    """An item's note in the active language when the platform wrote it (第3.5条：<an approval the rule
    names>, services._add_approvals); a note someone typed comes back as written."""
    m = _CLAUSE_NOTE.match(note or "")
    if m is None or gettext(m.group(2)) == m.group(2):
        return note
    return gettext("第%(clause)s条：") % {"clause": m.group(1)} + gettext(m.group(2))


@register.filter
def area(value) -> str:
    """Square metres with thousands separators and two decimals (12,000.00) in either language; the
    Chinese locale of Django would not group them."""
    return "" if value is None or value == "" else f"{value:,.2f}"
