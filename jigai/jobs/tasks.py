"""The one task on the queue: run a recorded job by its id (``run_job``).

Whatever queue backend carries it (the database by default, Redis for several machines, immediate in
tests), the work is the same: mark the job 进行中, run its kind's function as the user who started it
(audited under that user, source "job"), store the result or the reason it failed. A failure is shown to
the user as its Chinese reason (``JobError``, or the domain error's message); anything else is logged
with its traceback and shown as a general sentence, never the traceback.
"""

from __future__ import annotations

import logging

from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks import task

from jigai.core import audit
from jigai.core.errors import DomainError

from . import kinds, services
from .models import Job, JobState

log = logging.getLogger(__name__)

UNEXPECTED = gettext_noop("执行时发生意外错误，已记入系统日志，请联系系统管理员")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, kinds.JobError):
        return exc.message
    if isinstance(exc, DomainError):
        return "；".join(exc.messages())
    return UNEXPECTED


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return "skipped"
    kind = kinds.get(job.kind)
    user = job.user
    actor = audit.Actor(
        username=user.username, user_id=user.pk, role=getattr(user, "role", ""), source="job",
        source_detail=f"后台任务 #{job.pk}",
    )  # fmt: skip
    # In Chinese whatever the language of the request that started it (a test's immediate backend runs it
    # inside that request): what the job stores is a record; the pages translate it (wording.py).
    with audit.acting_as(actor), translation.override("zh-hans"):
        job = services.job_begin(job=job, at=timezone.now())
        if kind is None:
            services.job_fail(job=job, reason=f"没有“{job.kind}”这种后台任务", at=timezone.now())
            return "failed"

        def progress(done: int, total: int, message: str = "") -> None:
            services.job_progress(job=job, done=done, total=total, message=message)

        try:
            result = kind.run(job, progress)
        except Exception as exc:  # every failure is recorded on the job; the unexpected ones logged
            if not isinstance(exc, (kinds.JobError, DomainError)):
                log.exception("后台任务 #%s（%s）失败", job.pk, job.kind)
            services.job_fail(job=job, reason=_reason(exc), at=timezone.now())
            return "failed"
        services.job_finish(job=job, result=result, at=timezone.now())
    return "done"
