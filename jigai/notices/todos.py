"""To-do items of the public notice: the office resolves objections and ends a notice whose period has
passed. (Approved items waiting to be published are funds' to-do, ``funds.publish``.)"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import Role
from jigai.core.todo import Todo, provider

from . import selectors
from .models import Objection

OFFICE = _("州项目办")


def _for_office(user) -> bool:
    return user is None or user.role == Role.OFFICE


@provider
def objections_to_resolve(user, today):
    if not _for_office(user):
        return
    for o in Objection.objects.filter(upheld__isnull=True).select_related(
        "entry__notice", "entry__item__region"
    ):
        yield Todo(
            key=f"notices.objection.{o.pk}.resolve",
            title=gettext("处理对%(enterprise)s的公示异议（%(notice)s）")
            % {"enterprise": o.entry.enterprise_name, "notice": o.entry.notice.ref},
            url=reverse("notices:detail", kwargs={"pk": o.entry.notice_id}),
            step="notice.objection",
            since=o.received_on,
            actor=str(OFFICE),
            unit_code=o.entry.item.region.code,
        )


@provider
def notices_to_end(user, today):
    if not _for_office(user):
        return
    for n in selectors.open_notices().filter(ends_on__lt=today):
        yield Todo(
            key=f"notices.notice.{n.pk}.end",
            title=gettext("%(notice)s 公示期已满，结束公示（无异议的事项转为待拨付）") % {"notice": n.ref},
            url=reverse("notices:detail", kwargs={"pk": n.pk}),
            step="notice.end",
            since=n.ends_on,
            actor=str(OFFICE),
        )
