"""Finance support (金融支持, 3.4): banks and their users, bank–enterprise matchmaking meetings (银企对接会)
and the intentions signed there, financing needs and the loans that meet them (应贷尽贷), the credit risk
compensation fund (风险补偿资金池) and credit-guarantee insurance (信用保证保险).

原文 3.4：加强银企合作，定期召开银企对接会……确保应贷尽贷，将银行对技改工程的贡献度纳入银行机构绩效评价
考核。建立信贷风险补偿机制。引导保险机构面向技改企业和项目，开展信用保证保险业务。
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


class BankKind(models.TextChoices):
    STATE = "state", _("国有大型商业银行")
    JOINT = "joint", _("股份制商业银行")
    POLICY = "policy", _("政策性银行")
    LOCAL = "local", _("地方法人银行（城商行、农商行）")
    OTHER = "other", _("其他金融机构")


@track()
class Bank(models.Model):
    """A lending institution in the prefecture (its 恩施 branch)."""

    name = models.CharField(_("银行名称"), max_length=60, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=BankKind.choices)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("银行")
        verbose_name_plural = _("银行")

    def __str__(self) -> str:
        return self.short_name or self.name


@track()
class BankMembership(models.Model):
    """The bank a bank user works for: the row-level key of everything a bank user sees (its loans,
    intentions, score, claims). The user's free-text ``bank_name`` is only a label."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="bank_membership",
    )
    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("银行用户归属")
        verbose_name_plural = _("银行用户归属")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.bank_id}"


@track()
class MatchMeeting(models.Model):
    """A bank–enterprise matchmaking meeting (银企对接会, 3.4 定期召开银企对接会)."""

    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=100)
    organiser = models.CharField(_("主办单位"), max_length=100)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在报送单位（空为全州）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    banks = models.ManyToManyField(Bank, verbose_name=_("参会银行"), related_name="meetings")
    enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("参会企业"), related_name="finance_meetings"
    )
    note = models.TextField(_("会议情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("银企对接会")
        verbose_name_plural = _("银企对接会")
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


@track()
class Intention(models.Model):
    """A lending intention (意向) signed at a meeting: bank, enterprise, project, amount."""

    meeting = models.ForeignKey(MatchMeeting, on_delete=models.PROTECT, related_name="intentions")
    bank = models.ForeignKey(
        Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="intentions"
    )
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="finance_intentions",
    )
    amount_yuan = MoneyField(_("意向金额（元）"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("签约意向")
        verbose_name_plural = _("签约意向")
        constraints = [
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="intention_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.bank_id} {self.project_id} {self.amount_yuan}"


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待对接")
    MET = "met", _("已满足")
    WITHDRAWN = "withdrawn", _("已撤回")


@track()
class FinancingNeed(models.Model):
    """A project's financing need (融资需求), posted by its enterprise or its county's clerk; open to every
    bank until loans meet it (应贷尽贷) or it is withdrawn."""

    project = models.ForeignKey(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="financing_needs"
    )
    amount_yuan = MoneyField(_("融资需求（元）"))
    purpose = models.CharField(_("资金用途"), max_length=200)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    status = models.CharField(_("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    posted_on = models.DateField(_("发布日期"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(_("登记时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        indexes = [models.Index(fields=["status", "posted_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="need_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="need_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount_yuan}"


@track()
class Loan(models.Model):
    """A loan a bank granted to a tech-renovation project, recorded by the bank, linked to the need it
    meets (if any)."""

    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="loans")
    project = models.ForeignKey(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="loans"
    )
    need = models.ForeignKey(
        FinancingNeed,
        verbose_name=_("满足的融资需求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    amount_yuan = MoneyField(_("贷款金额（元）"))
    rate_percent = models.DecimalField(_("年利率（%）"), max_digits=6, decimal_places=3)
    issued_on = models.DateField(_("放款日期"))
    maturity_on = models.DateField(_("到期日期"))
    defaulted_on = models.DateField(_("逾期（违约）日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")
        indexes = [models.Index(fields=["bank", "issued_on"]), models.Index(fields=["issued_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(rate_percent__gt=0), name="loan_rate_positive"),
            models.CheckConstraint(
                condition=Q(maturity_on__gt=models.F("issued_on")), name="loan_matures_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_id} {self.project_id} {self.amount_yuan}"

    @property
    def rate_display(self) -> str:
        """The rate as a bank writes it: 4.35, not 4.350 (a third decimal only when it carries a digit)."""
        rate = self.rate_percent
        places = 2 if rate == rate.quantize(Decimal("0.01")) else 3
        return f"{rate:.{places}f}"


@track()
class CompensationFund(models.Model):
    """The credit risk compensation fund (风险补偿资金池, 3.4 建立信贷风险补偿机制). Its balance is the sum of
    its entries, kept here so that a payout can lock one row; it is never negative."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    balance_yuan = MoneyField(_("余额（元）"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("风险补偿资金池")
        verbose_name_plural = _("风险补偿资金池")
        constraints = [
            models.CheckConstraint(condition=Q(balance_yuan__gte=0), name="fund_balance_non_negative")
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("注入资金")
    PAYOUT = "payout", _("代偿支付")


@track()
class FundEntry(models.Model):
    """One movement of the fund: a contribution in or a compensation paid out. Never changed."""

    fund = models.ForeignKey(CompensationFund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    amount_yuan = MoneyField(_("金额（元）"))
    balance_after_yuan = MoneyField(_("变动后余额（元）"))
    source = models.CharField(_("资金来源/去向"), max_length=100)
    entry_date = models.DateField(_("日期"))
    claim = models.OneToOneField(
        "CompensationClaim", null=True, blank=True, on_delete=models.PROTECT, related_name="payout"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("资金池收支")
        verbose_name_plural = _("资金池收支")
        constraints = [
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="fund_entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(balance_after_yuan__gte=0), name="fund_entry_balance_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="contribution", claim__isnull=True) | Q(kind="payout", claim__isnull=False),
                name="fund_entry_payout_has_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_yuan}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已核准，待支付")
    REJECTED = "rejected", _("未核准")
    PAID = "paid", _("已代偿")


@track()
class CompensationClaim(models.Model):
    """A bank's claim on the fund for a defaulted tech-renovation loan: the outstanding principal times
    the compensation ratio in force on the default date (docs/programme.md, reading 21)."""

    loan = models.ForeignKey(Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="claims")
    defaulted_on = models.DateField(_("违约日期"))
    outstanding_principal_yuan = MoneyField(_("未偿本金（元）"))
    ratio = models.DecimalField(_("补偿比例"), max_digits=5, decimal_places=4)
    amount_yuan = MoneyField(_("申请补偿金额（元）"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    reason = models.CharField(_("违约情况"), max_length=300)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("申请时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("风险补偿申请")
        verbose_name_plural = _("风险补偿申请")
        constraints = [
            models.UniqueConstraint(
                fields=["loan"], condition=~Q(status="rejected"), name="claim_one_live_per_loan"
            ),
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="claim_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.amount_yuan} {self.status}"

    @property
    def ratio_percent(self) -> str:
        """The ratio as a percentage for a page: 50, 37.5 (0.5000 is the stored fraction)."""
        percent = (self.ratio * 100).quantize(Decimal("0.01"))
        return f"{percent:f}".rstrip("0").rstrip(".")


@track()
class GuaranteePolicy(models.Model):
    """A credit-guarantee insurance policy (信用保证保险) on a tech-renovation loan."""

    policy_no = models.CharField(_("保单号"), max_length=40, unique=True)
    insurer = models.CharField(_("保险机构"), max_length=60)
    loan = models.ForeignKey(Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="policies")
    amount_insured_yuan = MoneyField(_("保险金额（元）"))
    premium_yuan = MoneyField(_("保费（元）"))
    premium_subsidy_yuan = MoneyField(_("保费补贴（元）"), default=0)
    start_on = models.DateField(_("保险起期"))
    end_on = models.DateField(_("保险止期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("信用保证保险保单")
        verbose_name_plural = _("信用保证保险保单")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_insured_yuan__gt=0)
                & Q(premium_yuan__gte=0)
                & Q(premium_subsidy_yuan__gte=0),
                name="policy_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(premium_subsidy_yuan__lte=models.F("premium_yuan")),
                name="policy_subsidy_within_premium",
            ),
        ]

    def __str__(self) -> str:
        return self.policy_no
