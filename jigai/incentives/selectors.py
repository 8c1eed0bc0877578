"""Reads of the money path, scoped like the project library (a clerk sees only their unit's)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jigai.accounts.permissions import in_unit
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project

from .models import Acceptance, AcceptanceAmendment, Outcome


def acceptance_queryset(user) -> QuerySet[Acceptance]:
    projects = registry_selectors.project_queryset(user).values("pk")
    return (
        Acceptance.objects.filter(project__in=projects)
        .select_related("project", "project__enterprise", "project__region", "leader", "recorded_by")
        .prefetch_related(
            "team",
            Prefetch(
                "amendments", queryset=AcceptanceAmendment.objects.select_related("by").order_by("at", "id")
            ),
        )
    )


def acceptance_list(user, *, project_id: int | None = None) -> QuerySet[Acceptance]:
    qs = acceptance_queryset(user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-inspection_date", "-id")


def acceptance_detail(user, pk: int) -> Acceptance | None:
    a = acceptance_queryset(user).filter(pk=pk).first()
    return a if a is not None and in_unit(user, a.project) else None


def passed_acceptance(project: Project) -> Acceptance | None:
    """The inspection that accepted ``project`` (4.2), or None."""
    return Acceptance.objects.filter(project=project, outcome=Outcome.PASS).first()
