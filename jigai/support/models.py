"""Enterprise services (企业服务): the secretary of a project (秘书制, 3.5), its approval items with their
time limits in working days (审批代办, 3.5), zero-approval online filings (网上备案零审批, 3.5), its land
(3.3), and the consultation meetings whose decisions are followed up (会商, 4.2)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track

from . import conf
from .conf import Kind


@track()
class Secretary(models.Model):
    """The official who serves one project through its approvals (3.5 建立技改项目“秘书制”)."""

    project = models.OneToOneField(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="secretary"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("项目秘书"),
        on_delete=models.PROTECT,
        related_name="secretary_of",
    )
    phone = models.CharField(_("联系电话"), max_length=40)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指定人"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("指定时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("项目秘书")
        verbose_name_plural = _("项目秘书")
        indexes = [models.Index(fields=["user", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.user}"


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    NOT_NEEDED = "not_needed", _("无需办理")


OPEN_STATES = (State.NOT_STARTED, State.IN_PROGRESS)


class Source(models.TextChoices):
    RULE = "rule", _("按第3.5条提出")
    FILING = "filing", _("网上备案")
    LAND = "land", _("用地优先（第3.3条）")
    MANUAL = "manual", _("手工添加")


@track()
class ApprovalItem(models.Model):
    """One approval a project needs, handled for it (审批代办, 3.5), with its deadline in working days."""

    project = models.ForeignKey(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="approval_items"
    )
    kind = models.CharField(_("审批事项"), max_length=20, choices=Kind.choices)
    department = models.CharField(_("责任部门"), max_length=60)
    state = models.CharField(_("办理状态"), max_length=12, choices=State.choices, default=State.NOT_STARTED)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    started_date = models.DateField(_("受理日期"), null=True, blank=True)
    due_date = models.DateField(_("办结期限"), null=True, blank=True)
    done_date = models.DateField(_("办结日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("登记时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="approval_item_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(state="in_progress") | Q(started_date__isnull=False, due_date__isnull=False),
                name="approval_item_started_has_due",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(done_date__isnull=False), name="approval_item_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"

    def deadline_tone(self, today) -> str:
        """``done`` (green) once done; in progress, ``late`` (red) past its deadline or ``risk`` (amber)
        when due soon (conf.DUE_SOON_WORKDAYS); otherwise ''."""
        if self.state == State.DONE:
            return "done"
        return conf.deadline_tone(self.due_date, today) if self.state == State.IN_PROGRESS else ""


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("网上备案“零审批”")
    REVIEW = "review", _("需人工审核")
    INELIGIBLE = "ineligible", _("按常规程序审批")


class ProjectType(models.TextChoices):
    EQUIPMENT_RENEWAL = "equipment_renewal", _("设备更新改造")
    EXPANSION = "expansion", _("扩建")
    NEW_BUILD = "new_build", _("新建")
    OTHER = "other", _("其他")


@track()
class Filing(models.Model):
    """An enterprise's online filing of a project (网上备案, 3.5), checked at once by the 3.5 rule. A
    qualifying one is receipted on the spot (零审批) with a number from the document-number register
    (core.DocumentNumber, series 恩施州技改备, per year); the unique constraint is a backstop."""

    project = models.ForeignKey(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="filings"
    )
    filing_date = models.DateField(_("备案日期"))
    project_type = models.CharField(_("项目类型"), max_length=20, choices=ProjectType.choices)
    new_land_area_m2 = models.DecimalField(_("新增用地（平方米）"), max_digits=12, decimal_places=2)
    advanced_mature_process = models.BooleanField(_("采取先进成熟工艺"), default=False)
    changes_pollutant_discharge = models.BooleanField(_("改变污染物排放"), default=False)
    involves_major_hazard = models.BooleanField(_("涉及危险化学品或重大危险源"), default=False)
    new_buildings = models.BooleanField(_("新建建筑物"), default=False)
    energy_review_required = models.BooleanField(_("需节能审查"), default=False)
    content = models.TextField(_("建设内容"))
    outcome = models.CharField(_("结论"), max_length=12, choices=Outcome.choices)
    reasons = models.JSONField(_("理由"), default=list)
    approvals = models.JSONField(_("仍需办理的审批"), default=list)
    explanation = models.TextField(_("说明"), blank=True)
    receipt_year = models.PositiveSmallIntegerField(_("回执年度"), null=True, blank=True)
    receipt_serial = models.PositiveIntegerField(_("回执序号"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("备案人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("网上备案")
        verbose_name_plural = _("网上备案")
        indexes = [models.Index(fields=["project", "filed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["receipt_year", "receipt_serial"], name="filing_receipt_unique"),
            models.CheckConstraint(
                condition=(
                    Q(outcome="eligible") & Q(receipt_serial__isnull=False, receipt_year__isnull=False)
                )
                | (~Q(outcome="eligible") & Q(receipt_serial__isnull=True, receipt_year__isnull=True)),
                name="filing_receipt_only_when_eligible",
            ),
            models.CheckConstraint(condition=Q(new_land_area_m2__gte=0), name="filing_land_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.filing_date}"

    @property
    def receipt_number(self) -> str:
        """备案号 (恩施州技改备〔年〕N号) of a receipted filing, '' otherwise: a document number, shown as is."""
        from .documents import receipt_number

        return str(receipt_number(self)) if self.receipt_serial else ""


class Approval(models.TextChoices):
    """3.3 经批准: a fact, never assumed (docs/programme.md, reading 18)."""

    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未获批准")


class LandKind(models.TextChoices):
    EXISTING = "existing", _("原出让的存量工业用地")
    NEW = "new", _("新增工业用地")


class Acquisition(models.TextChoices):
    TRANSFER = "transfer", _("出让")
    LEASE_THEN_TRANSFER = "lease_then_transfer", _("先租后让")
    LEASE_AND_TRANSFER = "lease_and_transfer", _("租让结合")
    LEASE = "lease", _("租赁")
    NONE = "none", _("不新取得用地")


@track()
class Land(models.Model):
    """A project's land (3.3): the facts the 3.3 rule decides on, and how new land is obtained."""

    project = models.OneToOneField(
        "registry.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="land"
    )
    land_kind = models.CharField(_("用地类型"), max_length=10, choices=LandKind.choices)
    industrial_land = models.BooleanField(_("工业用地"), default=True)
    area_m2 = models.DecimalField(_("用地面积（平方米）"), max_digits=12, decimal_places=2)
    plot_ratio_before = models.DecimalField(_("改造前容积率"), max_digits=6, decimal_places=2)
    plot_ratio_after = models.DecimalField(_("改造后容积率"), max_digits=6, decimal_places=2)
    change_of_use = models.BooleanField(_("改变土地用途"), default=False)
    conforms_urban_plan = models.BooleanField(_("符合城市规划"), default=True)
    within_original_site = models.BooleanField(_("在原用地范围内"), default=True)
    multi_storey = models.BooleanField(_("建设多层房"), default=False)
    extra_floors = models.BooleanField(_("厂房改造加层"), default=False)
    underground = models.BooleanField(_("开发利用地下空间"), default=False)
    acquisition = models.CharField(
        _("取得方式"), max_length=20, choices=Acquisition.choices, default=Acquisition.NONE
    )
    approval = models.CharField(
        _("提高容积率的批准"), max_length=10, choices=Approval.choices, default="pending"
    )
    approval_date = models.DateField(_("批准日期"), null=True, blank=True)
    application_date = models.DateField(_("申请日期"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("项目用地")
        verbose_name_plural = _("项目用地")
        constraints = [
            models.CheckConstraint(
                condition=Q(area_m2__gte=0) & Q(plot_ratio_before__gte=0) & Q(plot_ratio_after__gte=0),
                name="land_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(approval="pending") | Q(approval_date__isnull=False), name="land_decided_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_land_kind_display()}"

    @property
    def measures(self) -> tuple[str, ...]:
        flags = (("multi_storey", self.multi_storey), ("extra_floors", self.extra_floors))
        out = tuple(k for k, on in (*flags, ("underground", self.underground)) if on)
        return out or ("renovation",)


@track()
class Meeting(models.Model):
    """A consultation meeting (会商, 4.2 建立技改项目会商制度) or a leader's contact-point visit
    (领导挂点联系): who met, on which projects and problems, and what was decided."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("项目会商")
        CONTACT_POINT = "contact_point", _("领导挂点联系")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.CONSULTATION)
    title = models.CharField(_("会议名称"), max_length=120)
    date = models.DateField(_("会议日期"))
    chair = models.CharField(_("主持人"), max_length=60)
    participants = models.TextField(_("参会人员"))
    projects = models.ManyToManyField(
        "registry.Project", verbose_name=_("研究的项目"), related_name="meetings", blank=True
    )
    problems = models.TextField(_("研究的问题"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("会商")
        verbose_name_plural = _("会商")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


@track()
class FollowUp(models.Model):
    """One decision of a meeting, to be carried out by its owner within a time limit in working days."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会商"), on_delete=models.PROTECT, related_name="followups"
    )
    decision = models.CharField(_("议定事项"), max_length=500)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("涉及项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="followups"
    )
    time_limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    due_date = models.DateField(_("完成期限"))
    done_date = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.CharField(_("落实情况"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("会商议定事项")
        verbose_name_plural = _("会商议定事项")
        indexes = [models.Index(fields=["owner", "done_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_date__isnull=True) | ~Q(result=""), name="followup_done_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.decision[:20]}"

    def deadline_tone(self, today) -> str:
        """``done`` once carried out, else ``late`` past its deadline, ``risk`` when due soon, or ''."""
        return "done" if self.done_date else conf.deadline_tone(self.due_date, today)


ZERO = Decimal("0")
