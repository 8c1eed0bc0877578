"""The enterprise-services block on the library's project page: the project's secretary and how to reach
them, its approval items, its land determination (3.3, 3.5). The registry template includes it with
``{% load support_tags %}{% project_services project %}``; registry code does not import this app."""

import re

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, pgettext

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


# A filing's reasons are frozen in Chinese as the 3.5 rule wrote them (jigai/policy/measures.py) and the
# receipt quotes them; another language reads them rebuilt from their code and the filing's own facts.
_REASONS = {
    "ZERO_NEW_LAND_RENEWAL": gettext_noop("设备更新改造项目，不新增用地（“零新增地”），实行网上备案“零审批”"),
    "NEW_LAND_REQUIRED": gettext_noop("设备更新改造项目新增用地%(area)s平方米，不属于“零新增地”项目"),
    "NOT_ADVANCED_PROCESS": gettext_noop("扩建项目未采取先进成熟工艺"),
    "PROJECT_TYPE_NOT_COVERED": gettext_noop(
        "%(type)s项目不属于设备更新改造“零新增地”项目或采取先进成熟工艺的扩建项目"
    ),
    "NO_RULE_IN_FORCE": gettext_noop("备案日期%(date)s无有效的第3.5条“零审批”规定"),
    "ORDINARY_APPROVALS": gettext_noop("按常规程序办理：%(approvals)s（提供“一对一”全程服务）"),
}
_EXPANSION = gettext_noop("采取先进成熟工艺的扩建项目，实行网上备案“零审批”")
_EXPANSION_LAND = gettext_noop(
    "采取先进成熟工艺的扩建项目，实行网上备案“零审批”（新增用地%(area)s平方米，土地报批照常办理）"
)
_STATUTORY = gettext_noop("“零审批”不免除法定审批，仍须依法办理：%(approvals)s（提供“一对一”全程服务）")
_NO_STATUTORY = gettext_noop(
    "按所填事实（不改变污染物排放、不涉及重大危险源、不新增用地、不新建建筑物、无需节能审查），无需另办法定审批"
)


@register.filter
def reason_text(reason: dict, filing) -> str:
    """One of a filing's reasons in the active language: in Chinese as frozen; otherwise rebuilt from its
    code and the filing (area, type, date, approvals), or as frozen when the code is not known here."""
    message = reason.get("message", "")
    if translation.get_language().startswith("zh"):
        return message
    code = reason.get("code")
    values = {
        "area": area(filing.new_land_area_m2),
        "type": filing.get_project_type_display(),
        "date": date_format(filing.filing_date),
        "approvals": pgettext("list separator", "、").join(gettext(a) for a in filing.approvals),
    }
    if code == "ADVANCED_PROCESS_EXPANSION":
        text = _EXPANSION_LAND if filing.new_land_area_m2 > 0 else _EXPANSION
    elif code == "STATUTORY_APPROVALS":
        text = _STATUTORY if filing.approvals else _NO_STATUTORY
    elif code in _REASONS:
        text = _REASONS[code]
    else:
        return message
    return gettext(text) % values if "%(" in text else gettext(text)


@register.filter
def days_late(obj, today) -> int:
    """Calendar days past an item's or a decision's deadline on ``today`` (0 when not past it)."""
    return max((today - obj.due_date).days, 0) if obj.due_date else 0
