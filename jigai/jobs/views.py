"""Pages of background jobs: the list, one job with its progress bar, its status as JSON (read by the
poller in static/jigai/app.js; the page refreshes itself without scripts), the result's download, and
the one form that starts a job of a kind a page offers (生成 → job → download)."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard
from jigai.core import audit
from jigai.core.edges import refused

from . import kinds, selectors, services, wording

LISTED = 200


def _words(job) -> None:
    """The job's stored words in the active language, each with the lang its element needs (wording)."""
    for name in ("title", "summary", "message", "error"):
        text, lang = wording.shown(getattr(job, name))
        setattr(job, f"{name}_text", text)
        setattr(job, f"{name}_lang", lang)
    outcome = job.result_json if isinstance(job.result_json, dict) else {}
    said = outcome.get("said") if isinstance(outcome.get("said"), dict) else {}
    job.outcome_message = wording.shown(str(outcome.get("message") or ""), said.get("message"))
    issues = outcome.get("issues") or []
    how = said.get("issues") if isinstance(said.get("issues"), list) else []
    job.outcome_issues = [
        wording.shown(str(text), how[n] if n < len(how) else None) for n, text in enumerate(issues)
    ]


def _result_url(job) -> str:
    return reverse("jobs:download", args=[job.pk]) if job.result_file else ""


@guard("job.view")
def job_list(request):
    jobs = list(selectors.visible_jobs(request.user).order_by("-created", "-id")[:LISTED])
    for job in jobs:
        _words(job)
    offered = [kinds.get(n) for n in kinds.names()]
    starts = [
        k for k in offered if k.on_list and can(request.user, k.operation) and can(request.user, "job.start")
    ]
    return render(request, "jobs/list.html", {"jobs": jobs, "starts": starts})


@guard("job.view")
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    info = selectors.status(job, result_url=_result_url(job))
    _words(job)
    return render(request, "jobs/detail.html", {"job": job, "info": info})


@guard("job.view")
def job_status(request, pk: int):
    job = selectors.job_for(request.user, pk)
    info = selectors.status(job, result_url=_result_url(job))
    for key in ("created", "started", "ended"):
        info[key] = info[key].isoformat() if info[key] else None
    # What the poller writes into the page, in the page's language.
    for key in ("title", "message", "error"):
        info[key] = wording.shown(info[key])[0]
    info["state_label"] = str(info["state_label"])
    return JsonResponse(info, json_dumps_params={"ensure_ascii": False})


@guard("job.view")
def job_download(request, pk: int):
    job = selectors.job_for(request.user, pk)
    path = Path(job.result_file) if job.result_file else None
    if path is None or not path.is_file():
        raise Http404(gettext("结果文件不存在"))
    audit.record("export", obj=job, message=f"下载后台任务结果：{job.result_name}")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)


@require_POST
@guard("job.start")
def job_new(request, kind: str):
    found = kinds.get(kind)
    if found is None or found.from_form is None:
        raise Http404(gettext("没有这种后台任务"))
    with refused(request=request) as attempt:
        params, summary = found.from_form(request.POST, request.user)
        job = services.job_start(
            user=request.user, kind=kind, params=params, summary=summary, at=timezone.now()
        )
    if not attempt.ok:
        back = str(request.POST.get("back", ""))
        return redirect(back if back.startswith("/") and not back.startswith("//") else "jobs:list")
    return redirect("jobs:detail", pk=job.pk)
