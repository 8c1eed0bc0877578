from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track
from jigai.core.money_fields import MoneyField


@track(exclude=("created_at", "updated_at"))
class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        "core.Industry", verbose_name=_("行业"), on_delete=models.PROTECT, related_name="enterprises"
    )
    champion_industry = models.ForeignKey(
        "core.ChampionIndustry",
        verbose_name=_("重点行业（3.1.2）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    registered_in_prefecture = models.BooleanField(_("州内注册"), default=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self) -> str:
        return self.name


@track()
class EnterpriseScaleYear(models.Model):
    """Above-scale (规上) status by year: main-business revenue ≥ 20,000,000 yuan (docs/programme.md, reading 9)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="scale_years")
    year = models.PositiveSmallIntegerField(_("年度"))
    above_scale = models.BooleanField(_("规上企业"))
    revenue_yuan = MoneyField(_("主营业务收入（元）"), null=True, blank=True)

    class Meta:
        verbose_name = _("规上状态")
        verbose_name_plural = _("规上状态")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="scale_year_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class ProjectStatus(models.TextChoices):
    RESERVE = "reserve", _("储备")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工投产")
    ACCEPTED = "accepted", _("已验收")
    TERMINATED = "terminated", _("终止")


@track(exclude=("created_at", "updated_at"))
class Project(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="projects"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("项目名称"), max_length=120)
    content = models.TextField(_("建设内容"), blank=True)
    project_code = models.CharField(_("项目代码"), max_length=40, null=True, blank=True, unique=True)
    industry = models.ForeignKey(
        "core.Industry", verbose_name=_("行业"), on_delete=models.PROTECT, related_name="projects"
    )
    total_investment_yuan = MoneyField(_("总投资（元）"))
    equipment_investment_yuan = MoneyField(_("设备投资（元）"))
    fixed_asset_investment_yuan = MoneyField(_("固定资产投资（元）"))
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_completion_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    actual_completion_date = models.DateField(_("实际竣工日期"), null=True, blank=True)
    conforms_industrial_policy = models.BooleanField(_("符合产业政策"), default=True)
    is_key = models.BooleanField(_("重点项目"), default=False)
    is_demonstration = models.BooleanField(_("示范项目"), default=False)
    zero_new_land = models.BooleanField(_("零新增地"), default=False)
    leader_name = models.CharField(_("挂点领导"), max_length=40, blank=True)
    leader_title = models.CharField(_("挂点领导职务"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RESERVE
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("技改项目")
        verbose_name_plural = _("技改项目")
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["industry"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment_yuan__gte=0)
                & Q(equipment_investment_yuan__gte=0)
                & Q(fixed_asset_investment_yuan__gte=0),
                name="project_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_completion_date__isnull=True)
                | Q(planned_start_date__isnull=True)
                | Q(planned_completion_date__gte=models.F("planned_start_date")),
                name="project_planned_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track()
class ProjectPlanYear(models.Model):
    """A year's tech-renovation plan (年度工业技术改造计划) the project is listed in (3.1.1)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_years")
    year = models.PositiveSmallIntegerField(_("计划年度"))

    class Meta:
        verbose_name = _("计划年度")
        verbose_name_plural = _("计划年度")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_year_unique")]
        indexes = [models.Index(fields=["year", "project"])]

    def __str__(self) -> str:
        return f"{self.year}"


class ProjectTransition(models.Model):
    """One lifecycle move: who, when and why (4.2)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=16, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ProjectStatus.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_name = models.CharField(_("操作人"), max_length=150, blank=True)
    reason = models.CharField(_("原因"), max_length=500)
    effective_date = models.DateField(_("发生日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目状态变更")
        verbose_name_plural = _("项目状态变更")
        indexes = [models.Index(fields=["project", "at"])]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


@track(exclude=("updated_at",))
class ImportColumnMapping(models.Model):
    """Which field a unit's own spreadsheet headers mean, per import table (jigai/imports/mapping.py):
    remembered from the preview page's 列对应 and applied to the unit's next import of that table.

    ``region_code`` is the unit's reporting-unit code; "" for users of the prefecture (the office), who
    have none. ``mapping`` is ``{normalised header: column key}``, "-" for a column to ignore."""

    region_code = models.CharField(_("报送单位代码"), max_length=12, blank=True)
    table = models.CharField(_("导入表"), max_length=40)
    mapping = models.JSONField(_("列对应"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("导入列对应")
        verbose_name_plural = _("导入列对应")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "table"], name="import_mapping_unit_table_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_code or '州'} {self.table}"
