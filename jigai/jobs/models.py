"""Background jobs (后台任务): long work run on the task queue, with its progress and result.

One row per job started by a person (a large import, a bulletin or meeting-pack document, a backup, a
reminders run). The task queue (django-tasks, ``TASKS`` in settings) only carries the job's id; what the
job is, who started it, how far it got and how it ended are here, tracked in the audit log. Progress
(done/total/message) is written with a plain UPDATE, not audited: it is not a change of the record's
meaning, and a 50,000-row import would otherwise write hundreds of audit records.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


@track(exclude=("done", "total", "message"))
class Job(models.Model):
    kind = models.CharField("任务类型", max_length=40)
    title = models.CharField("任务", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="jobs"
    )
    unit = models.ForeignKey(
        "core.Region", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    summary = models.CharField("参数摘要", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    result_file = models.CharField("结果文件", max_length=500, blank=True)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    result_json = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("失败原因", blank=True)
    task_id = models.CharField("队列任务标识", max_length=64, blank=True)
    created = models.DateTimeField("发起时间")
    started = models.DateTimeField("开始时间", null=True, blank=True)
    finished = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["user", "created"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished_state(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
