"""Acceptance inspections (验收, 4.2): the first step of the money path (issue 12 point 3).

Only a passed inspection moves a project to 已验收; the figures it verified are the ones the subsidy is
decided on (docs/programme.md, reading 14), and a later correction is an amendment with its reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


class Outcome(models.TextChoices):
    PASS = "pass", _("验收通过")
    FAIL = "fail", _("验收不通过")
    RECTIFY = "rectify", _("限期整改后复验")


@track()
class Acceptance(models.Model):
    """One inspection of a completed project by a team of the programme office and the finance bureau."""

    project = models.ForeignKey(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="acceptances"
    )
    inspection_date = models.DateField(_("验收日期"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("验收组成员"), related_name="acceptance_teams"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收组组长"),
        on_delete=models.PROTECT,
        related_name="acceptances_led",
    )
    findings = models.TextField(_("验收发现"))
    outcome = models.CharField(_("验收结论"), max_length=10, choices=Outcome.choices)
    rectify_deadline_date = models.DateField(_("整改期限"), null=True, blank=True)
    claimed_equipment_investment_yuan = MoneyField(_("申报设备投资（元）"))
    claimed_fixed_asset_investment_yuan = MoneyField(_("申报固定资产投资（元）"))
    verified_equipment_investment_yuan = MoneyField(_("核定设备投资（元）"))
    verified_fixed_asset_investment_yuan = MoneyField(_("核定固定资产投资（元）"))
    adjustment_reason = models.CharField(_("核定数与申报数不同的原因"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="acceptances_recorded",
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("验收记录")
        verbose_name_plural = _("验收记录")
        indexes = [models.Index(fields=["project", "inspection_date"])]
        constraints = [
            # 4.2: a project passes acceptance once; a correction is an amendment, not a second pass.
            models.UniqueConstraint(
                fields=["project"], condition=Q(outcome="pass"), name="acceptance_one_pass_per_project"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectify_deadline_date__isnull=False),
                name="acceptance_rectify_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(verified_equipment_investment_yuan__gte=0)
                & Q(verified_fixed_asset_investment_yuan__gte=0)
                & Q(claimed_equipment_investment_yuan__gte=0)
                & Q(claimed_fixed_asset_investment_yuan__gte=0),
                name="acceptance_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.inspection_date} {self.get_outcome_display()}"


class AcceptanceAmendment(models.Model):
    """A correction of a passed inspection's verified figures by the programme office, with its reason."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="amendments")
    before_equipment_investment_yuan = MoneyField(_("更正前核定设备投资（元）"))
    before_fixed_asset_investment_yuan = MoneyField(_("更正前核定固定资产投资（元）"))
    after_equipment_investment_yuan = MoneyField(_("更正后核定设备投资（元）"))
    after_fixed_asset_investment_yuan = MoneyField(_("更正后核定固定资产投资（元）"))
    reason = models.CharField(_("更正原因"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("验收核定数更正")
        verbose_name_plural = _("验收核定数更正")
        indexes = [models.Index(fields=["acceptance", "at"])]

    def __str__(self) -> str:
        return f"{self.acceptance_id} {self.at:%Y-%m-%d}"
