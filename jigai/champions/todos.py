"""To-do items of champion declarations: the office verifies a submitted declaration; the declarer
(the enterprise, or its county's clerk) corrects a returned one."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jigai.accounts.models import Role
from jigai.core.todo import Todo, provider

from .models import Declaration, State


@provider
def declarations_to_verify(user, today):
    if user is not None and user.role != Role.OFFICE:
        return
    for d in Declaration.objects.filter(state=State.SUBMITTED).select_related("enterprise__region"):
        yield Todo(
            key=f"champions.declaration.{d.pk}.verify",
            title=gettext("核实%(enterprise)s的隐形冠军奖励申报（%(technology)s）")
            % {"enterprise": d.enterprise.name, "technology": d.technology},
            url=reverse("champions:detail", kwargs={"pk": d.pk}),
            step="champion.verify",
            since=timezone.localtime(d.submitted_at).date(),
            actor=gettext("州项目办"),
            unit_code=d.enterprise.region.code,
        )


@provider
def declarations_returned(user, today):
    if user is not None and user.role not in (Role.ENTERPRISE, Role.CLERK):
        return
    qs = Declaration.objects.filter(state=State.RETURNED).select_related("enterprise__region")
    if user is not None and user.role == Role.ENTERPRISE:
        qs = qs.filter(enterprise__credit_code=user.credit_code) if user.credit_code else qs.none()
    elif user is not None:
        qs = qs.filter(enterprise__region_id=user.region_id) if user.region_id else qs.none()
    for d in qs:
        yield Todo(
            key=f"champions.declaration.{d.pk}.resubmit",
            title=gettext("补正被退回的隐形冠军奖励申报（%(enterprise)s，%(technology)s）")
            % {"enterprise": d.enterprise.name, "technology": d.technology},
            url=reverse("champions:detail", kwargs={"pk": d.pk}),
            step="champion.resubmit",
            since=timezone.localtime(d.submitted_at or d.declared_at).date(),
            actor=d.enterprise.name,
            unit_code=d.enterprise.region.code,
            detail=d.return_reason,
            accountable=False,  # an enterprise is not a department (4.3; docs/programme.md, reading 23)
        )
