"""Writes of background jobs: start (record and enqueue), progress, finish, fail.

``job_start`` is the only way a job begins: it checks that the user may do the kind's work
(``require(user, kind.operation)``) and may start jobs at all (``job.start``), records the job, then
enqueues its id on the task queue (``tasks.run_job``) after the record is committed. The other functions
are called by the runner (``tasks.py``) as the job goes.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from jigai.accounts.permissions import require
from jigai.core.errors import ValidationError

from . import kinds
from .models import Job, JobState

log = logging.getLogger(__name__)


def result_dir() -> Path:
    path = Path(getattr(settings, "JIGAI_JOBS_DIR", "") or Path(settings.VAR_DIR) / "jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def _create(*, user, kind: kinds.Kind, params: dict, summary: str, at: dt.datetime) -> Job:
    require(user, "job.start")
    require(user, kind.operation)
    return Job.objects.create(
        kind=kind.name,
        title=kind.title,
        user=user,
        unit_id=getattr(user, "region_id", None),
        params=params,
        summary=summary[:300],
        created=at,
        message=gettext_noop("排队中，等待执行"),  # stored in Chinese; the pages translate (wording)
    )


def job_start(
    *, user, kind: str, params: dict, summary: str = "", at: dt.datetime, inline: bool = False
) -> Job:
    """Record a job and put it on the task queue. With the immediate backend (tests) it has run when
    this returns; with the database or Redis backend a worker runs it (docs/operator-guide.md).
    ``inline`` runs it here without the queue (the demo data, built before any worker runs)."""
    found = kinds.get(kind)
    if found is None:
        raise ValidationError({"kind": [gettext("没有“%(kind)s”这种后台任务") % {"kind": kind}]})
    job = _create(user=user, kind=found, params=params, summary=summary, at=at)
    from .tasks import run_job  # the task module imports this one

    if inline:
        run_job.call(job.pk)
        job.refresh_from_db()
        return job
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_progress(*, job: Job, done: int, total: int, message: str = "") -> None:
    """How far a running job got; a plain UPDATE (not audited, not in the job's transaction)."""
    Job.objects.filter(pk=job.pk).update(
        done=max(0, int(done)), total=max(0, int(total)), message=(message or "")[:300]
    )


@transaction.atomic
def job_begin(*, job: Job, at: dt.datetime) -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    job.state, job.started, job.message = JobState.RUNNING, at, gettext_noop("开始执行")
    job.save()
    return job


@transaction.atomic
def job_finish(*, job: Job, result: kinds.FileResult | dict, at: dt.datetime) -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    if isinstance(result, kinds.FileResult):
        path = result_dir() / f"{job.pk}-{Path(result.filename).suffix.lstrip('.') or 'bin'}.result"
        path.write_bytes(result.data)
        job.result_file, job.result_name = str(path), result.filename[:200]
    else:
        job.result_json = result
    job.state, job.finished = JobState.DONE, at
    job.done = job.total = max(job.total, job.done, 1)
    job.message = gettext_noop("已完成")
    job.save()
    return job


@transaction.atomic
def job_fail(*, job: Job, reason: str, at: dt.datetime) -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    job.state, job.finished, job.error = JobState.FAILED, at, reason
    job.message = gettext_noop("失败")
    job.save()
    return job
