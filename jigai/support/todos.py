"""What the enterprise services hand to someone (jigai/core/todo.py):

- an approval item taken in (办理中) waits on its department until its deadline (the item's time limit in
  working days); it is on the project secretary's and the county clerk's lists, its actor the department,
  and once overdue on the accountability list (4.3 不作为、慢作为) through ``core.todo.overdue``;
- an approval item not started waits on the project's secretary to start it (no deadline);
- a decision of a consultation meeting waits on its owner until its deadline (4.2);
- a key project without a secretary waits on the programme office (3.5 秘书制).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from jigai.accounts.models import Role
from jigai.core.dates import local_date
from jigai.core.todo import Todo, provider
from jigai.registry.models import Project, ProjectStatus

from .models import ApprovalItem, FollowUp, State

LIVE = (ProjectStatus.RESERVE, ProjectStatus.CONSTRUCTION, ProjectStatus.COMPLETED)


def _person(user) -> str:
    return user.display_name or user.get_full_name() or user.get_username()


@provider
def approval_items(user, today):
    qs = ApprovalItem.objects.filter(state__in=(State.NOT_STARTED, State.IN_PROGRESS)).select_related(
        "project", "project__region", "project__secretary", "project__secretary__user"
    )
    if user is not None:
        if user.role == Role.CLERK:
            qs = qs.filter(Q(project__region_id=user.region_id) | Q(project__secretary__user_id=user.pk))
        elif user.role == Role.OFFICE:
            qs = qs.filter(project__secretary__user_id=user.pk)
        else:
            return
    for item in qs.order_by("due_date", "id"):
        p = item.project
        url = reverse("support:project", args=[p.pk])
        if item.state == State.IN_PROGRESS:
            yield Todo(
                key=f"support.approval.{item.pk}.handle",
                title=gettext("办结%(project)s的%(kind)s")
                % {"project": p.name, "kind": item.get_kind_display()},
                url=url,
                step="support.approval",
                since=item.started_date,
                due=item.due_date,
                actor=item.department,
                unit_code=p.region.code,
                detail=gettext("时限 %(days)s 个工作日") % {"days": item.time_limit_days},
            )
        else:
            secretary = getattr(p, "secretary", None)
            yield Todo(
                key=f"support.approval.{item.pk}.start",
                title=gettext("启动%(project)s的%(kind)s")
                % {"project": p.name, "kind": item.get_kind_display()},
                url=url,
                step="support.approval.start",
                since=local_date(item.created_at),
                actor=_person(secretary.user) if secretary else item.department,
                unit_code=p.region.code,
            )


@provider
def followups(user, today):
    qs = FollowUp.objects.filter(done_date__isnull=True).select_related("meeting", "owner", "project__region")
    if user is not None:
        qs = qs.filter(owner_id=user.pk)
    for f in qs.order_by("due_date", "id"):
        yield Todo(
            key=f"support.followup.{f.pk}.do",
            title=gettext("落实%(meeting)s议定事项：%(decision)s")
            % {"meeting": f.meeting.title, "decision": f.decision[:40]},
            url=reverse("support:meeting", args=[f.meeting_id]),
            step="support.followup",
            since=f.meeting.date,
            due=f.due_date,
            actor=_person(f.owner),
            unit_code=f.project.region.code if f.project_id else None,
        )


@provider
def key_projects_without_secretary(user, today):
    if user is not None and user.role != Role.OFFICE:
        return
    for p in (
        Project.objects.filter(is_key=True, status__in=LIVE, secretary__isnull=True)
        .select_related("region")
        .order_by("region__code", "id")
    ):
        yield Todo(
            key=f"support.secretary.{p.pk}.assign",
            title=gettext("为重点项目%(project)s指定项目秘书") % {"project": p.name},
            url=reverse("support:project", args=[p.pk]),
            step="support.secretary",
            since=local_date(p.created_at),
            actor=gettext("州项目办"),
            unit_code=p.region.code,
        )
