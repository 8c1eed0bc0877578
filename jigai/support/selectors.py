"""Reads of the enterprise services, scoped to what the user may see (docs/security.md, row level).

A project's services are seen by whoever sees the project in the library (the prefecture's roles all, a
clerk their county's, an enterprise its own) and by the project's secretary, wherever the project is.
Meetings are the governments' business: a clerk sees those on a project of their county or with a
decision they own; an enterprise none."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from jigai.accounts.models import Role
from jigai.accounts.permissions import ALL_UNITS_ROLES, can, in_unit, scope_projects
from jigai.dispatch.models import ProgressReport
from jigai.registry.models import Project

from .models import OPEN_STATES, ApprovalItem, Filing, FollowUp, Land, Meeting, Secretary, State


def is_secretary(user, project) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Secretary.objects.filter(project_id=project.pk, user_id=user.pk).exists()
    )


def may_see(user, project) -> bool:
    return can(user, "support.view") and (in_unit(user, project) or is_secretary(user, project))


def projects_for(user) -> QuerySet[Project]:
    if not can(user, "support.view"):
        return Project.objects.none()
    mine = Project.objects.filter(secretary__user_id=user.pk).values("pk")
    return Project.objects.filter(
        Q(pk__in=scope_projects(user, Project.objects.all()).values("pk")) | Q(pk__in=mine)
    )


def project_detail(user, pk: int) -> Project | None:
    p = projects_for(user).select_related("enterprise", "region", "industry").filter(pk=pk).first()
    return p


def secretary_of(project) -> Secretary | None:
    return Secretary.objects.select_related("user").filter(project_id=project.pk).first()


def items_for(user) -> QuerySet[ApprovalItem]:
    return ApprovalItem.objects.filter(project__in=projects_for(user).values("pk")).select_related(
        "project", "project__enterprise", "project__region"
    )


def project_items(project) -> list[ApprovalItem]:
    return list(ApprovalItem.objects.filter(project=project).order_by("kind", "id"))


def item_detail(user, pk: int) -> ApprovalItem | None:
    return items_for(user).filter(pk=pk).first()


def overdue_items(user, today: dt.date) -> QuerySet[ApprovalItem]:
    return items_for(user).filter(state=State.IN_PROGRESS, due_date__lt=today).order_by("due_date", "id")


def filings_for(user) -> QuerySet[Filing]:
    return Filing.objects.filter(project__in=projects_for(user).values("pk")).select_related(
        "project", "project__enterprise", "project__region", "filed_by"
    )


def filing_detail(user, pk: int) -> Filing | None:
    return filings_for(user).filter(pk=pk).first()


def land_of(project) -> Land | None:
    return Land.objects.filter(project=project).first()


def meetings_for(user) -> QuerySet[Meeting]:
    if not can(user, "support.meeting.view"):
        return Meeting.objects.none()
    qs = Meeting.objects.all()
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(
            Q(projects__region_id=user.region_id)
            | Q(followups__owner_id=user.pk)
            | Q(followups__project__region_id=user.region_id)
        ).distinct()
    return qs.none()


def meeting_detail(user, pk: int) -> Meeting | None:
    return meetings_for(user).filter(pk=pk).first()


def followups_for(user) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(meeting__in=meetings_for(user).values("pk")).select_related(
        "meeting", "owner", "project"
    )


def followup_detail(user, pk: int) -> FollowUp | None:
    return followups_for(user).filter(pk=pk).first()


def secretary_projects(user) -> list[dict]:
    """The secretary's projects (我的项目), each with what waits on the secretary: open approval items (the
    overdue first) and open decisions of meetings on the project."""
    out = []
    for s in (
        Secretary.objects.filter(user_id=user.pk)
        .select_related("project", "project__enterprise", "project__region")
        .order_by("project__region__code", "project__name", "project_id")
    ):
        items = list(
            ApprovalItem.objects.filter(project_id=s.project_id, state__in=OPEN_STATES).order_by(
                "due_date", "kind", "id"
            )
        )
        followups = list(
            FollowUp.objects.filter(project_id=s.project_id, done_date__isnull=True)
            .select_related("owner", "meeting")
            .order_by("due_date", "id")
        )
        out.append({"secretary": s, "project": s.project, "items": items, "followups": followups})
    return out


def agenda(user, *, since: dt.date | None) -> list[ProgressReport]:
    """The problems reported in the monthly progress reports (月调度, 4.2 需协调解决的问题) since the last
    meeting: the next meeting's agenda. ``since`` is the last meeting's date (None: every report)."""
    qs = ProgressReport.objects.filter(project__in=projects_for(user).values("pk")).exclude(problems="")
    if since is not None:
        last = (since.year, since.month)
        qs = qs.filter(Q(year__gt=last[0]) | Q(year=last[0], month__gte=last[1]))
    return list(
        qs.select_related("project", "project__enterprise", "region").order_by(
            "-year", "-month", "region__code", "id"
        )[:200]
    )


def last_meeting_date(user) -> dt.date | None:
    m = meetings_for(user).order_by("-date", "-id").first()
    return m.date if m else None
