"""Public notice (公示) of approved subsidies and awards before payment (3.1, 4.2; issue 12 point 8).

A notice lists a batch of approved items (funds) for an objection period; each line keeps what the public
page shows (enterprise, project, clause, amount: no personal data) as it was published. Objections are
recorded with who raised them and how they were resolved; the item's money state is funds' own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


class NoticeState(models.TextChoices):
    OPEN = "open", _("公示中")
    ENDED = "ended", _("公示期满")


@track()
class Notice(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=120)
    starts_on = models.DateField(_("公示开始日"))
    ends_on = models.DateField(_("公示截止日"))
    state = models.CharField(_("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.OPEN)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"))
    ended_on = models.DateField(_("结束日"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="notice_year_serial"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"公示〔{self.year}〕{self.serial}号"


@track()
class NoticeEntry(models.Model):
    """One approved item on a notice, with the public figures as published."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="entries"
    )
    item = models.OneToOneField(
        "funds.Item", verbose_name=_("奖补事项"), on_delete=models.PROTECT, related_name="notice_entry"
    )
    position = models.PositiveIntegerField(_("序号"))
    unit_name = models.CharField(_("县市"), max_length=50)
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    clause = models.CharField(_("条款"), max_length=8)
    clause_label = models.CharField(_("奖补类别"), max_length=50)
    amount_yuan = MoneyField(_("拟拨付金额（元）"))

    class Meta:
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项")
        ordering = ["notice", "position"]
        constraints = [models.UniqueConstraint(fields=["notice", "position"], name="notice_entry_position")]

    def __str__(self) -> str:
        return f"{self.notice_id}-{self.position} {self.enterprise_name}"


@track()
class Objection(models.Model):
    """An objection (异议) to one line, raised during the period; resolved upheld (成立: not paid) or
    dismissed (不成立: payable once the period ends). Who raised it is never shown on the public page."""

    entry = models.ForeignKey(
        NoticeEntry, verbose_name=_("公示事项"), on_delete=models.PROTECT, related_name="objections"
    )
    raised_by = models.CharField(_("异议人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    resolution = models.CharField(_("处理结果"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(upheld__isnull=True) | ~Q(resolution=""), name="objection_resolution_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} 异议 {self.received_on}"

    @property
    def open(self) -> bool:
        return self.upheld is None

    @property
    def status_label(self) -> str:
        if self.upheld is None:
            return gettext("待处理")
        return gettext("异议成立，不予拨付") if self.upheld else gettext("异议不成立")
