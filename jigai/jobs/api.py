"""/api/v1/jobs: a background job's state and progress, with the same scope as the page (another
user's job answers 404; the office sees every job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Router, Schema

from jigai.accounts.permissions import guard
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut

from . import selectors

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    state: str
    state_label: str
    done: int
    total: int
    percent: int
    message: str
    finished: bool
    error: str
    result_url: str
    result_name: str
    result: Any = None
    created: dt.datetime
    started: dt.datetime | None
    ended: dt.datetime | None


@router.get(
    "/jobs/{id}", response={200: JobOut, 403: ErrorOut, 404: ErrorOut}, summary="后台任务的状态与进度"
)
@guard("job.view")
def job_get(request, id: Id):
    job = selectors.job_for(request.user, id)
    url = reverse("jobs:download", args=[job.pk]) if job.result_file else ""
    return selectors.status(job, result_url=url)
