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


# --- Applications (申报) --------------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    """Where an application stands; after 已决定 the money states are read from funds (审批, 公示, 拨付)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    FORWARDED = "forwarded", _("已受理")
    RECTIFYING = "rectifying", _("验收中（限期整改）")
    FAILED = "failed", _("验收不通过")
    ACCEPTED = "accepted", _("已验收")
    DECIDED = "decided", _("已决定")


class SupportMode(models.TextChoices):
    """How the enterprise asks for 3.2 (原文：通过贷款贴息、项目奖补等方式)."""

    AWARD = "award", _("项目奖补")
    LOAN_INTEREST = "loan_interest", _("贷款贴息")


# States in which the enterprise (or the clerk on its behalf) may still change the application.
EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})
# States in which the inspection team may inspect the project of an application.
INSPECTABLE_STATES = frozenset(
    {ApplicationState.FORWARDED, ApplicationState.RECTIFYING, ApplicationState.FAILED}
)


@track()
class Application(models.Model):
    """An enterprise's application (申报) for 3.1.1 and 3.2 on a completed project (竣工投产)."""

    project = models.OneToOneField(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="application"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="applications"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="applications"
    )
    claimed_equipment_investment_yuan = MoneyField(_("申报设备投资（元）"))
    claimed_fixed_asset_investment_yuan = MoneyField(_("申报固定资产投资（元）"))
    support_mode = models.CharField(
        _("第3.2条支持方式"), max_length=16, choices=SupportMode.choices, default=SupportMode.AWARD
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    return_reasons = models.TextField(_("退回补正的原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    checked_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收通过时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("提交资金审批时间"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交资金审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("奖补申报")
        verbose_name_plural = _("奖补申报")
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["enterprise", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed_equipment_investment_yuan__gte=0)
                & Q(claimed_fixed_asset_investment_yuan__gte=0),
                name="application_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_state_display()}"


class LineVerdict(models.TextChoices):
    PENDING = "", _("待验收")
    ACCEPTED = "accepted", _("核定")
    REJECTED = "rejected", _("不予核定")


@track()
class EquipmentLine(models.Model):
    """One line of the equipment list (设备清单); the inspection accepts or rejects it with a reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="equipment_lines")
    name = models.CharField(_("设备名称"), max_length=100)
    model = models.CharField(_("规格型号"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    supplier = models.CharField(_("供应商"), max_length=100)
    invoice_number = models.CharField(_("发票号码"), max_length=40)
    amount_yuan = MoneyField(_("金额（元）"))
    verdict = models.CharField(
        _("验收意见"), max_length=10, choices=LineVerdict.choices, default=LineVerdict.PENDING, blank=True
    )
    rejection_reason = models.CharField(_("不予核定的原因"), max_length=300, blank=True)
    acceptance = models.ForeignKey(
        Acceptance,
        verbose_name=_("验收记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("设备清单行")
        verbose_name_plural = _("设备清单")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__gte=0), name="equipment_line_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=~Q(verdict="rejected") | ~Q(rejection_reason=""),
                name="equipment_line_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.model}"


@track()
class LoanLine(models.Model):
    """A loan of the project and the interest actually paid on it in the support period (3.2 贷款贴息)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="loan_lines")
    bank = models.CharField(_("贷款银行"), max_length=100)
    amount_yuan = MoneyField(_("贷款金额（元）"))
    interest_paid_yuan = MoneyField(_("支持期内实际支付利息（元）"))
    start_date = models.DateField(_("贷款起始日"))
    end_date = models.DateField(_("贷款到期日"))

    class Meta:
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__gte=0) & Q(interest_paid_yuan__gte=0),
                name="loan_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="loan_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.amount_yuan}"


@track()
class StoredDecision(models.Model):
    """The decision of one clause (3.1.1 or 3.2) on an application's verified figures, as decided."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    clause = models.CharField(_("条款"), max_length=10)
    outcome = models.CharField(_("结论"), max_length=12)
    amount_yuan = MoneyField(_("金额（元）"))
    decision = models.JSONField(_("决定（含理由与参数）"))
    explanation = models.TextField(_("说明"))
    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))
    source = models.CharField(_("资金来源键"), max_length=60)

    class Meta:
        verbose_name = _("奖补决定")
        verbose_name_plural = _("奖补决定")
        constraints = [
            models.UniqueConstraint(fields=["application", "clause"], name="decision_one_per_clause"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.clause} {self.amount_yuan}"
