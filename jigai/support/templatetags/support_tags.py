"""The enterprise-services block on the library's project page: the project's secretary and how to reach
them, its approval items, its land determination (3.3, 3.5). The registry template includes it with
``{% load support_tags %}{% project_services project %}``; registry code does not import this app."""

from django import template
from django.utils import timezone

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
