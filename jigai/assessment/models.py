"""Assessment (考核督办, 4.3): unit leaders, published rankings, interview cases and their records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track

from .interviews import DEPUTY, PRINCIPAL
from .ranking import CUMULATIVE, SINGLE


@track(exclude=("updated_at",))
class UnitLeader(models.Model):
    """A unit's government leaders for a year: the deputy in charge (分管领导) and the principal (主要领导)."""

    region = models.ForeignKey(
        "core.Region", verbose_name="报送单位", on_delete=models.PROTECT, related_name="assessment_leaders"
    )
    year = models.PositiveSmallIntegerField("年度")
    deputy_name = models.CharField("分管领导姓名", max_length=40, blank=True)
    deputy_title = models.CharField("分管领导职务", max_length=80, blank=True)
    principal_name = models.CharField("主要领导姓名", max_length=40, blank=True)
    principal_title = models.CharField("主要领导职务", max_length=80, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "县市领导"
        verbose_name_plural = "县市领导"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="unit_leader_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class Basis(models.TextChoices):
    CUMULATIVE = CUMULATIVE, _("累计同比")
    SINGLE = SINGLE, _("当期同比")


@track()
class Ranking(models.Model):
    """A published ranking: frozen. `rows` is the ranking as published, `inputs` the statistics it was
    computed from, `parameters` the readings' values used, so it can be re-checked at any time."""

    period = models.CharField("考核期间", max_length=8)  # 2019Q2, 2019H1
    year = models.PositiveSmallIntegerField("年度")
    end_month = models.PositiveSmallIntegerField("期末月份")
    basis = models.CharField("口径", max_length=12, choices=Basis.choices, default=Basis.CUMULATIVE)
    rows = models.JSONField("排名")
    inputs = models.JSONField("统计数据")
    parameters = models.JSONField("参数")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by_name = models.CharField("发布人", max_length=150, blank=True)

    class Meta:
        verbose_name = "已发布排名"
        verbose_name_plural = "已发布排名"
        constraints = [
            models.UniqueConstraint(fields=["period", "basis"], name="ranking_published_unique"),
            models.CheckConstraint(
                condition=Q(end_month__gte=1) & Q(end_month__lte=12), name="ranking_end_month_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "end_month"])]

    def __str__(self) -> str:
        return f"{self.period} {self.basis}"


class CaseLevel(models.TextChoices):
    DEPUTY = DEPUTY, _("约谈分管领导")
    PRINCIPAL = PRINCIPAL, _("约谈主要领导")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待通知")
    NOTIFIED = "notified", _("已通知")
    HELD = "held", _("已约谈")
    FOLLOWED_UP = "followed_up", _("已报整改")
    CLOSED = "closed", _("已办结")


@track(exclude=("updated_at",))
class InterviewCase(models.Model):
    """One interview (约谈) a published ranking opened (4.3, docs/programme.md, reading 12): one per unit and period end."""

    ranking = models.ForeignKey(
        Ranking, verbose_name="依据排名", on_delete=models.PROTECT, related_name="cases"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name="报送单位", on_delete=models.PROTECT, related_name="interview_cases"
    )
    year = models.PositiveSmallIntegerField("年度")
    end_month = models.PositiveSmallIntegerField("期末月份")
    periods = models.CharField("触发期间", max_length=20)  # "2019Q2,2019H1"
    level = models.CharField("约谈层级", max_length=12, choices=CaseLevel.choices)
    deputy_attends = models.BooleanField("分管领导参加", default=False)
    figures = models.JSONField("排名数据")  # period → the unit's row as published
    explanation = models.CharField("依据", max_length=500)
    deputy_name = models.CharField("分管领导姓名", max_length=40, blank=True)
    deputy_title = models.CharField("分管领导职务", max_length=80, blank=True)
    principal_name = models.CharField("主要领导姓名", max_length=40, blank=True)
    principal_title = models.CharField("主要领导职务", max_length=80, blank=True)
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    notice_year = models.PositiveSmallIntegerField("通知年份", null=True, blank=True)
    notice_serial = models.PositiveIntegerField("通知序号", null=True, blank=True)
    notice_number = models.CharField("通知文号", max_length=40, blank=True)
    notice_date = models.DateField("通知日期", null=True, blank=True)
    scheduled_text = models.CharField("约谈时间地点", max_length=200, blank=True)
    closing_note = models.CharField("办结意见", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "end_month"], name="interview_case_unique"),
            models.UniqueConstraint(
                fields=["notice_year", "notice_serial"],
                name="interview_notice_unique",
                condition=Q(notice_serial__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["year", "end_month"])]

    def __str__(self) -> str:
        return f"{self.region} {self.year}-{self.end_month:02d} {self.get_level_display()}"

    @property
    def period_list(self) -> list[str]:
        return [p for p in self.periods.split(",") if p]

    @property
    def interviewee(self) -> str:
        if self.level == PRINCIPAL:
            return " ".join(x for x in (self.principal_title, self.principal_name) if x)
        return " ".join(x for x in (self.deputy_title, self.deputy_name) if x)


@track()
class InterviewRecord(models.Model):
    """What happened at the interview: when, who, what the unit committed to, and by when."""

    case = models.OneToOneField(
        InterviewCase, verbose_name="约谈", on_delete=models.CASCADE, related_name="record"
    )
    held_date = models.DateField("约谈日期")
    place = models.CharField("地点", max_length=100, blank=True)
    interviewer = models.CharField("约谈人", max_length=100)
    attendees = models.TextField("参加人员")
    commitments = models.TextField("整改承诺")
    follow_up_deadline_date = models.DateField("整改报告期限")
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "约谈记录"
        verbose_name_plural = "约谈记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_deadline_date__gte=models.F("held_date")),
                name="interview_follow_up_after_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_date}"


@track()
class FollowUp(models.Model):
    """The unit's report on its commitments (整改落实情况)."""

    case = models.ForeignKey(
        InterviewCase, verbose_name="约谈", on_delete=models.CASCADE, related_name="follow_ups"
    )
    reported_date = models.DateField("报告日期")
    content = models.TextField("整改落实情况")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by_name = models.CharField("提交人", max_length=150, blank=True)

    class Meta:
        verbose_name = "整改情况"
        verbose_name_plural = "整改情况"
        indexes = [models.Index(fields=["case", "reported_date"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reported_date}"


class TargetClause(models.TextChoices):
    CHAMPIONS = "2.2.a", _("2.2.a 培育“隐形冠军”企业（户）")


@track(exclude=("updated_at",))
class TargetFigure(models.Model):
    """A figure the platform does not derive itself, recorded by the office for a year: the hidden
    champions cultivated (2.2.a) are recognised outside the project library."""

    year = models.PositiveSmallIntegerField("年度")
    clause = models.CharField("条款", max_length=8, choices=TargetClause.choices)
    value = models.PositiveIntegerField("数值")
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目标完成数"
        verbose_name_plural = "目标完成数"
        constraints = [models.UniqueConstraint(fields=["year", "clause"], name="target_figure_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.clause}"
