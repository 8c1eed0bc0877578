"""Monthly dispatch (月调度, 4.2): progress reports, official region statistics and the bulletin (月通报)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField

MONTH_RANGE = Q(month__gte=1) & Q(month__lte=12)


class Source(models.TextChoices):
    PAGE = "page", _("页面填报")
    API = "api", _("接口")
    IMPORT = "import", _("表格导入")
    SYSTEM = "system", _("系统")


@track(exclude=("updated_at",))
class RegionStatistic(models.Model):
    """A unit's official January-to-month investment from the statistics bureau (2.1.a, docs/programme.md, reading 8)."""

    region = models.ForeignKey(
        "core.Region", verbose_name="报送单位", on_delete=models.PROTECT, related_name="statistics"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    industrial_investment_ytd_yuan = MoneyField("工业投资累计（元）")
    tech_investment_ytd_yuan = MoneyField("技改投资累计（元）")
    note = models.CharField("备注", max_length=200, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PAGE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "统计数据（累计）"
        verbose_name_plural = "统计数据（累计）"
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "month"], name="region_statistic_unique"),
            models.CheckConstraint(condition=MONTH_RANGE, name="region_statistic_month_range"),
            models.CheckConstraint(
                condition=Q(industrial_investment_ytd_yuan__gte=0) & Q(tech_investment_ytd_yuan__gte=0),
                name="region_statistic_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}-{self.month:02d}"


class ProgressState(models.TextChoices):
    ON_SCHEDULE = "on_schedule", _("正常推进")
    BEHIND = "behind", _("进度滞后")
    STALLED = "stalled", _("停工停滞")


@track(exclude=("updated_at", "flags"))
class ProgressReport(models.Model):
    """One project's month (4.2). Its current values; every version is also kept in `ProgressReportRevision`."""

    project = models.ForeignKey(
        "registry.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="progress_reports"
    )
    # Denormalised from the project at submission so a unit's month is one indexed read.
    region = models.ForeignKey(
        "core.Region", verbose_name="报送单位", on_delete=models.PROTECT, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    month_investment_yuan = MoneyField("本月完成投资（元）")
    cumulative_investment_yuan = MoneyField("开工累计完成投资（元）")
    progress_text = models.CharField("形象进度", max_length=300, blank=True)
    progress_pct = models.PositiveSmallIntegerField("形象进度（%）", default=0)
    state = models.CharField(
        "推进状态", max_length=16, choices=ProgressState.choices, default=ProgressState.ON_SCHEDULE
    )
    problems = models.TextField("需协调解决的问题", blank=True)
    department_asked = models.CharField("请求协调部门", max_length=100, blank=True)
    # Data checks (4.2 point 3): codes and messages computed when the report is saved; they never block.
    flags = models.JSONField("数据提示", default=list, blank=True)  # derived; not in the audit record
    first_submitted_at = models.DateTimeField("首次报送时间")
    submitted_at = models.DateTimeField("最近报送时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by_name = models.CharField("报送人", max_length=150, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PAGE)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "项目月调度"
        verbose_name_plural = "项目月调度"
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="progress_report_unique"),
            models.CheckConstraint(condition=MONTH_RANGE, name="progress_report_month_range"),
            models.CheckConstraint(condition=Q(progress_pct__lte=100), name="progress_report_pct_range"),
            models.CheckConstraint(
                condition=Q(month_investment_yuan__gte=0) & Q(cumulative_investment_yuan__gte=0),
                name="progress_report_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "region"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


class ProgressReportRevision(models.Model):
    """Every version of a report as it stood, with the reason for a correction (4.2 point 4).

    Append-only: written by the services next to the report, never updated.
    """

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    data = models.JSONField("内容")
    reason = models.CharField("更正原因", max_length=500, blank=True)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField("操作人", max_length=150, blank=True)

    class Meta:
        verbose_name = "月调度更正记录"
        verbose_name_plural = "月调度更正记录"
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="progress_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"


class Bulletin(models.Model):
    """A published monthly bulletin (月通报, 4.3): its figures frozen as computed at publication.

    Never changed after it is written: a correction is a new edition (``edition`` 2, 3 …, marked 更正版,
    with its reason), and the earlier edition stays as it was. Publication is recorded in the audit log
    with the snapshot's SHA-256, so the figures can be proven unchanged later.
    """

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    edition = models.PositiveSmallIntegerField("版次", default=1)
    number_prefix = models.CharField("发文机关代字", max_length=40)
    number_year = models.PositiveSmallIntegerField("发文年份")
    number_serial = models.PositiveIntegerField("发文顺序号")
    title = models.CharField("标题", max_length=200)
    issue_date = models.DateField("成文日期")
    correction_reason = models.CharField("更正原因", max_length=500, blank=True)
    supersedes = models.ForeignKey(
        "self", verbose_name="更正的版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField("数据快照")
    snapshot_sha256 = models.CharField("快照摘要", max_length=64)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by_name = models.CharField("发布人", max_length=150, blank=True)

    class Meta:
        verbose_name = "月通报"
        verbose_name_plural = "月通报"
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "edition"], name="bulletin_edition_unique"),
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number_serial"], name="bulletin_number_unique"
            ),
            models.CheckConstraint(condition=MONTH_RANGE, name="bulletin_month_range"),
            models.CheckConstraint(
                condition=Q(edition=1, supersedes__isnull=True) | Q(edition__gt=1, supersedes__isnull=False),
                name="bulletin_correction_links_previous",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def delete(self, *args, **kwargs):
        # A published bulletin is withdrawn only by a marked correction (更正版), never deleted (4.3).
        raise PermissionError("已发布的通报不能删除；如有错误，请发布更正版")

    @property
    def is_correction(self) -> bool:
        return self.edition > 1

    @property
    def document_number(self) -> str:
        return f"{self.number_prefix}〔{self.number_year}〕{self.number_serial}号"
