"""Reads of background jobs, scoped: the office sees every job, everyone else only their own.

Another user's job answers 404 (``NotFoundError``), never 403, as another unit's record does."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from jigai.accounts.models import Role
from jigai.core.errors import NotFoundError

from . import kinds
from .models import Job

SEES_ALL = frozenset({Role.OFFICE})


def visible_jobs(user) -> QuerySet[Job]:
    jobs = Job.objects.select_related("user", "unit")
    if getattr(user, "role", None) in SEES_ALL:
        return jobs
    return jobs.filter(user=user)


def job_for(user, pk: int) -> Job:
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise NotFoundError(gettext("后台任务不存在或无权查看"))
    return job


def status(job: Job, *, result_url: str = "") -> dict:
    """What the progress poller and the API read."""
    kind = kinds.get(job.kind)
    back = kind.back_url(job.params) if kind and kind.back_url else ""
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "summary": job.summary,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "finished": job.finished_state,
        "error": job.error,
        "result_url": result_url if job.result_file else "",
        "result_name": job.result_name,
        "result": job.result_json,
        "back_url": back,
        "created": job.created,
        "started": job.started,
        "ended": job.finished,
    }
