"""Champion declarations (隐形冠军, 3.1.2; issue 12 point 5): an enterprise declares a technology's
ranking with its certificate, the programme office verifies it (or returns it), the policy engine decides
3.1.2, and an eligible decision goes to the money path (funds) as an award."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


class Level(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("全省同行业")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待核实")
    RETURNED = "returned", _("已退回")
    VERIFIED = "verified", _("已核实")


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    INELIGIBLE = "ineligible", _("不符合")
    REVIEW = "review", _("待人工审核")


EDITABLE = frozenset({State.DRAFT, State.RETURNED})


@track()
class Declaration(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="champion_declarations",
    )
    technology = models.CharField(_("单项技术"), max_length=200)
    year = models.PositiveSmallIntegerField(_("获奖年度"))
    level = models.CharField(_("排名级别"), max_length=12, choices=Level.choices)
    rank = models.PositiveSmallIntegerField(_("名次"))
    industry = models.CharField(_("行业"), max_length=50)
    issuer = models.CharField(_("发证机构"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    industry_confirmation = models.CharField(_("行业认定理由"), max_length=500, blank=True)
    outcome = models.CharField(_("决定"), max_length=10, choices=Outcome.choices, blank=True)
    amount_yuan = MoneyField(_("奖励金额（元）"), default=0)
    decision = models.JSONField(_("决定（含理由与参数）"), default=dict, blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("隐形冠军奖励申报")
        verbose_name_plural = _("隐形冠军奖励申报")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["enterprise", "year"]), models.Index(fields=["state"])]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="champion_rank_positive"),
            models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="champion_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.technology} {self.year} {self.get_level_display()}第{self.rank}名"

    @property
    def region_id(self):  # row-level scoping (accounts.permissions.in_unit)
        return self.enterprise.region_id

    @property
    def source(self) -> str:
        """The key of this declaration's award on the money path (funds)."""
        return f"champion:{self.pk}"

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE
