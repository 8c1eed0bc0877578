"""To-do items (待办) of the application path: the clerk checks a submitted application, the inspection
team (office and finance) inspects a forwarded one, the office hands a decision to funds, the enterprise
corrects a returned one. Computed from the applications' state (jigai/core/todo.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext

from jigai.accounts.permissions import can, in_unit
from jigai.core.todo import Todo, provider

from .models import Application, ApplicationState


def _day(value: dt.datetime | None, fallback: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(value or fallback)


def _apps(user, state, op: str):
    if user is not None and not can(user, op):
        return []
    qs = (
        Application.objects.filter(state=state)
        .select_related("project", "enterprise", "region")
        .order_by("id")
    )
    return [a for a in qs if user is None or in_unit(user, a)]


@provider
def applications_to_check(user, today):
    for a in _apps(user, ApplicationState.SUBMITTED, "application.check"):
        yield Todo(
            key=f"incentives.application.{a.pk}.check",
            title=gettext("审核%(enterprise)s的奖补申报（%(project)s）")
            % {"enterprise": a.enterprise.name, "project": a.project.name},
            url=reverse("applications:detail", args=[a.pk]),
            step="application.check",
            since=_day(a.submitted_at, a.created_at),
            actor=gettext("%(unit)s经办人") % {"unit": a.region.name},
            unit_code=a.region.code,
        )


@provider
def applications_to_inspect(user, today):
    for state in (ApplicationState.FORWARDED, ApplicationState.RECTIFYING):
        for a in _apps(user, state, "acceptance.inspect"):
            yield Todo(
                key=f"incentives.application.{a.pk}.inspect",
                title=(
                    gettext("验收%(enterprise)s的%(project)s（限期整改后复验）")
                    if state == ApplicationState.RECTIFYING
                    else gettext("验收%(enterprise)s的%(project)s")
                )
                % {"enterprise": a.enterprise.name, "project": a.project.name},
                url=reverse("acceptance:project", args=[a.project_id]),
                step="application.inspect",
                since=_day(a.checked_at, a.created_at),
                actor=gettext("州项目办、州财政局验收组"),
                unit_code=a.region.code,
            )


@provider
def applications_to_propose(user, today):
    for a in _apps(user, ApplicationState.DECIDED, "funds.propose"):
        if a.proposed_at is None:
            yield Todo(
                key=f"incentives.application.{a.pk}.propose",
                title=gettext("将%(enterprise)s（%(project)s）的奖补决定提交资金审批")
                % {"enterprise": a.enterprise.name, "project": a.project.name},
                url=reverse("applications:detail", args=[a.pk]),
                step="application.propose",
                since=_day(a.decided_at, a.created_at),
                actor=gettext("州项目办"),
                unit_code=a.region.code,
            )


@provider
def applications_to_correct(user, today):
    for a in _apps(user, ApplicationState.RETURNED, "application.edit"):
        yield Todo(
            key=f"incentives.application.{a.pk}.correct",
            title=gettext("补正并重新提交奖补申报（%(project)s）") % {"project": a.project.name},
            url=reverse("applications:detail", args=[a.pk]),
            step="application.correct",
            since=_day(a.checked_at, a.created_at),
            actor=a.enterprise.name,
            unit_code=a.region.code,
            detail=a.return_reasons[:200],
            accountable=False,  # an enterprise is not a department (4.3; docs/programme.md, reading 23)
        )
