"""The money after a decision (3.1, 3.1.1, 3.1.2, 3.2, 4.2): items proposed, batches (maker–checker),
budgets, payments. The state machine and the services are described in ``jigai.funds.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


class Clause(models.TextChoices):
    C311 = "3.1.1", _("3.1.1 技改奖补")
    C312 = "3.1.2", _("3.1.2 隐形冠军奖励")
    C32 = "3.2", _("3.2 贷款贴息/项目奖补")


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("待报批")
    SUBMITTED = "submitted", _("已报批待审")
    APPROVED = "approved", _("已批准")
    QUEUED = "queued", _("预算不足排队")
    NOTICE = "notice", _("公示中")
    OBJECTION = "objection", _("有异议")
    PAYABLE = "payable", _("待拨付")
    PAID = "paid", _("已拨付")
    REVERSED = "reversed", _("已冲回")
    REJECTED = "rejected", _("未批准")
    RECOVER = "recover", _("应追回")


# Approved and not undone: these hold an entitlement (the basis a re-decision is compared with).
HELD_STATES = frozenset(
    {
        ItemState.APPROVED,
        ItemState.QUEUED,
        ItemState.NOTICE,
        ItemState.OBJECTION,
        ItemState.PAYABLE,
        ItemState.PAID,
    }
)
# Still only a proposal: the source's figures may be replaced, the proposal withdrawn.
OPEN_STATES = frozenset({ItemState.PROPOSED, ItemState.SUBMITTED})
# The budget holds (commits) the item's shares.
COMMITTED_STATES = frozenset({ItemState.APPROVED, ItemState.NOTICE, ItemState.OBJECTION, ItemState.PAYABLE})
# No approved amount stands: not yet decided, or refused (an upheld objection keeps the figure it undid).
UNAPPROVED_STATES = OPEN_STATES | {ItemState.REJECTED}
# The colour of a state's tag on the pages (app.css ``.tag.done`` green, ``.tag.risk`` amber): paid is done;
# waiting for budget, under objection and money to recover want attention; the others stay plain.
STATE_TONE = {
    ItemState.PAID: "done",
    ItemState.QUEUED: "risk",
    ItemState.OBJECTION: "risk",
    ItemState.RECOVER: "risk",
}


class Level(models.TextChoices):
    PREFECTURE = "prefecture", _("州级")
    COUNTY = "county", _("县市级")


class BatchState(models.TextChoices):
    PENDING = "pending", _("待审批")
    DECIDED = "decided", _("已审批")


@track()
class Batch(models.Model):
    """A set of proposed items the programme office (maker) submits to the finance bureau (checker)."""

    title = models.CharField(_("批次名称"), max_length=120)
    note = models.TextField(_("报批说明"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=BatchState.choices, default=BatchState.PENDING)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报批人"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("报批时间"))
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("报批批次")
        verbose_name_plural = pgettext_lazy("列表", "报批批次")
        ordering = ["-prepared_at", "-id"]

    def __str__(self) -> str:
        return self.title


@track()
class Item(models.Model):
    """One proposed amount of money under one clause for one enterprise (and project)."""

    source = models.CharField(_("来源"), max_length=80)
    seq = models.PositiveSmallIntegerField(_("来源内序号"), default=1)
    clause = models.CharField(_("条款"), max_length=8, choices=Clause.choices)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="fund_items"
    )
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_items",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="fund_items"
    )
    entitled_yuan = MoneyField(_("按规定应得（元）"))
    proposed_yuan = MoneyField(_("报批金额（元）"))
    approved_yuan = MoneyField(_("批准金额（元）"), default=0)
    paid_yuan = MoneyField(_("已拨付（元）"), default=0)
    recover_yuan = MoneyField(_("应追回（元）"), default=0)
    prefecture_share_yuan = MoneyField(_("州级承担（元）"))
    county_share_yuan = MoneyField(_("县市承担（元）"))
    decision = models.JSONField(_("决定（含理由与参数）"), default=dict)
    explanation = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=ItemState.choices, default=ItemState.PROPOSED)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("报批批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    cap_exception_reason = models.CharField(_("超上限理由"), max_length=500, blank=True)
    cap_exception_approved = models.BooleanField(_("财政部门已批准超上限例外"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=500, blank=True)
    committed_at = models.DateTimeField(_("预算占用时间"), null=True, blank=True)
    notice_ref = models.CharField(_("公示编号"), max_length=40, blank=True)
    notice_ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    notice_ended_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)
    objection_note = models.CharField(_("异议处理结果"), max_length=500, blank=True)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("奖补资金事项")
        verbose_name_plural = pgettext_lazy("列表", "奖补资金事项")
        indexes = [
            models.Index(fields=["year", "state"]),
            models.Index(fields=["region", "year"]),
            models.Index(fields=["project", "clause"]),
            models.Index(fields=["state", "decided_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "seq"], name="funds_item_source_seq"),
            models.CheckConstraint(
                condition=Q(entitled_yuan__gte=0)
                & Q(proposed_yuan__gte=0)
                & Q(approved_yuan__gte=0)
                & Q(paid_yuan__gte=0)
                & Q(recover_yuan__gte=0)
                & Q(prefecture_share_yuan__gte=0)
                & Q(county_share_yuan__gte=0),
                name="funds_item_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(paid_yuan__lte=F("approved_yuan")), name="funds_item_paid_le_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.seq} {self.get_clause_display()} {self.proposed_yuan}"

    def share(self, level: str):
        return self.prefecture_share_yuan if level == Level.PREFECTURE else self.county_share_yuan

    @property
    def unapproved(self) -> bool:
        """No approved amount to show (—, not 0.00 or the figure an upheld objection undid)."""
        return self.state in UNAPPROVED_STATES

    @property
    def state_tone(self) -> str:
        return STATE_TONE.get(self.state, "")

    @property
    def cap_exception(self) -> bool:
        return self.proposed_yuan > self.entitled_yuan


@track()
class Budget(models.Model):
    """One year's allocation at one level: the prefecture's (region empty) or one county's (3.1)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级次"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("县市"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    allocated_yuan = MoneyField(_("预算安排（元）"), default=0)
    committed_yuan = MoneyField(_("已批准待拨付（元）"), default=0)
    paid_yuan = MoneyField(_("已拨付（元）"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("奖补预算")
        verbose_name_plural = pgettext_lazy("列表", "奖补预算")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(level="prefecture"), name="funds_budget_one_prefecture_per_year"
            ),
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=Q(level="county"),
                name="funds_budget_one_county_per_year",
            ),
            models.CheckConstraint(
                condition=(Q(level="prefecture") & Q(region__isnull=True))
                | (Q(level="county") & Q(region__isnull=False)),
                name="funds_budget_region_matches_level",
            ),
            # Never overdrawn: what is committed and paid fits in what is allocated.
            models.CheckConstraint(
                condition=Q(committed_yuan__gte=0)
                & Q(paid_yuan__gte=0)
                & Q(allocated_yuan__gte=F("committed_yuan") + F("paid_yuan")),
                name="funds_budget_never_overdrawn",
            ),
        ]

    def __str__(self) -> str:
        unit = "州级" if self.level == Level.PREFECTURE else str(self.region)
        return f"{self.year} {unit}"

    @property
    def remaining_yuan(self):
        return self.allocated_yuan - self.committed_yuan - self.paid_yuan


@track()
class Payment(models.Model):
    """One level's share of an item paid (拨付), with its voucher; reversed (冲回) with a reason."""

    item = models.ForeignKey(Item, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="payments")
    level = models.CharField(_("级次"), max_length=10, choices=Level.choices)
    amount_yuan = MoneyField(_("拨付金额（元）"))
    paid_on = models.DateField(_("拨付日期"))
    voucher_no = models.CharField(_("凭证号"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("登记时间"))
    reversed_at = models.DateTimeField(_("冲回时间"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("冲回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reverse_reason = models.CharField(_("冲回原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("拨付记录")
        verbose_name_plural = pgettext_lazy("列表", "拨付记录")
        indexes = [models.Index(fields=["paid_on"])]
        constraints = [
            # An item's share at one level is paid once (backstop of the row lock in payment_record).
            models.UniqueConstraint(
                fields=["item", "level"],
                condition=Q(reversed_at__isnull=True),
                name="funds_payment_once_per_level",
            ),
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="funds_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.amount_yuan}"

    @property
    def active(self) -> bool:
        return self.reversed_at is None
