"""Forms of the enterprise-service pages; the services check everything again."""

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import User

from .conf import LAND_PRIORITY, Kind
from .models import Acquisition, Approval, LandKind, Meeting, ProjectType, State
from .services import SECRETARY_ROLES

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class Form(forms.Form):
    """A form whose errors read as the office writes them, in place of Django's defaults (which quote the
    raw value posted, "Select a valid choice. x is not one of the available choices")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            msgs = f.error_messages
            if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
                msgs["required"] = _("请选择")
                msgs["invalid_choice"] = msgs["invalid_pk_value"] = _("请从列表中选择")
                msgs["invalid_list"] = _("请从列表中选择")
            else:
                msgs["required"] = _("请填写")
            if isinstance(f, forms.DateField):
                msgs["invalid"] = _("请填写有效的日期")
            if isinstance(f, forms.IntegerField | forms.DecimalField):
                msgs["invalid"] = _("请填写数字")
                msgs["min_value"] = _("不能小于 %(limit_value)s")
                msgs["max_value"] = _("不能大于 %(limit_value)s")
                msgs["max_digits"] = msgs["max_whole_digits"] = _("数字位数过多")
                msgs["max_decimal_places"] = _("最多保留两位小数")
            msgs["max_length"] = _("最多 %(limit_value)d 个字符")


def officials():
    return (
        User.objects.filter(role__in=SECRETARY_ROLES, is_active=True)
        .select_related("region")
        .order_by("role", "region__code", "username", "id")
    )


def _official_label(u) -> str:
    where = u.region.name if u.region_id else gettext("州项目办")
    return gettext("%(who)s（%(where)s）") % {"who": u.display_name or u.username, "where": where}


class SecretaryForm(Form):
    secretary = forms.ModelChoiceField(label=_("项目秘书"), queryset=User.objects.none())
    phone = forms.CharField(label=_("联系电话"), max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = officials()
        self.fields["secretary"].label_from_instance = _official_label


class FactsForm(Form):
    """The facts the 3.5 rule decides on (jigai/policy/inputs.py FilingCase)."""

    project_type = forms.ChoiceField(label=_("项目类型"), choices=ProjectType.choices)
    new_land_area_m2 = forms.DecimalField(
        label=_("新增用地（平方米，不新增填 0）"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    advanced_mature_process = forms.BooleanField(label=_("采取先进成熟工艺"), required=False)
    changes_pollutant_discharge = forms.BooleanField(label=_("改变污染物排放（需环评）"), required=False)
    involves_major_hazard = forms.BooleanField(
        label=_("涉及危险化学品或重大危险源（需安评）"), required=False
    )
    new_buildings = forms.BooleanField(label=_("新建建筑物（需规划许可）"), required=False)
    energy_review_required = forms.BooleanField(
        label=_("年综合能耗1000吨标准煤或年用电500万千瓦时以上（需节能审查）"), required=False
    )

    FACTS = (
        "project_type",
        "new_land_area_m2",
        "advanced_mature_process",
        "changes_pollutant_discharge",
        "involves_major_hazard",
        "new_buildings",
        "energy_review_required",
    )

    def facts(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FACTS}


class FilingForm(FactsForm):
    project = forms.ModelChoiceField(label=_("备案项目"), queryset=None)
    filing_date = forms.DateField(label=_("备案日期"), widget=DATE)
    content = forms.CharField(label=_("建设内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["project", "filing_date", *FactsForm.FACTS, "content"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.enterprise.name}）"


class ItemAddForm(Form):
    kind = forms.ChoiceField(label=pgettext_lazy("one item", "审批事项"), choices=Kind.choices)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class ItemForm(Form):
    state = forms.ChoiceField(label=_("办理状态"), choices=State.choices)
    department = forms.CharField(label=_("责任部门"), max_length=60)
    time_limit_days = forms.IntegerField(label=_("时限（工作日）"), min_value=1, max_value=365)
    started_date = forms.DateField(label=_("受理日期"), required=False, widget=DATE)
    done_date = forms.DateField(label=_("办结日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LandForm(Form):
    land_kind = forms.ChoiceField(label=_("用地类型"), choices=LandKind.choices)
    industrial_land = forms.BooleanField(label=_("工业用地"), required=False, initial=True)
    area_m2 = forms.DecimalField(label=_("用地面积（平方米）"), min_value=0, max_digits=12, decimal_places=2)
    plot_ratio_before = forms.DecimalField(
        label=_("改造前容积率"), min_value=0, max_digits=6, decimal_places=2
    )
    plot_ratio_after = forms.DecimalField(
        label=_("改造后容积率"), min_value=0, max_digits=6, decimal_places=2
    )
    change_of_use = forms.BooleanField(label=_("改变土地用途"), required=False)
    conforms_urban_plan = forms.BooleanField(label=_("符合城市规划"), required=False, initial=True)
    within_original_site = forms.BooleanField(label=_("在原用地范围内"), required=False, initial=True)
    multi_storey = forms.BooleanField(label=_("建设多层房"), required=False)
    extra_floors = forms.BooleanField(label=_("厂房改造加层"), required=False)
    underground = forms.BooleanField(label=_("开发利用地下空间"), required=False)
    acquisition = forms.ChoiceField(
        label=_("新增用地取得方式"), choices=Acquisition.choices, initial=Acquisition.NONE
    )
    approval = forms.ChoiceField(
        label=_("提高容积率的批准"), choices=Approval.choices, initial=Approval.PENDING
    )
    approval_date = forms.DateField(label=_("批准（决定）日期"), required=False, widget=DATE)
    application_date = forms.DateField(label=_("申请日期"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LandPriorityForm(Form):
    kinds = forms.MultipleChoiceField(
        label=_("优先办理（第3.3条）"),
        choices=[(k.value, k.label) for k in LAND_PRIORITY],
        widget=forms.CheckboxSelectMultiple,
    )
    started_date = forms.DateField(label=_("受理日期"), widget=DATE)


class MeetingForm(Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=120)
    date = forms.DateField(label=_("会议日期"), widget=DATE)
    chair = forms.CharField(label=_("主持人"), max_length=60)
    participants = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}))
    projects = forms.ModelMultipleChoiceField(
        label=_("研究的项目"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    # Prefilled with the month screen's problems as reported, in Chinese: the minutes' record text.
    problems = forms.CharField(
        label=_("研究的问题（月调度报送的问题已列入）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "zh-Hans"}),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: f"{p.name}（{p.region.name}）"


class DecisionForm(Form):
    decision = forms.CharField(label=_("议定事项"), max_length=500, required=False)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    time_limit_days = forms.IntegerField(
        label=_("时限（工作日）"), min_value=1, max_value=365, required=False
    )
    project = forms.ModelChoiceField(label=_("涉及项目"), queryset=None, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officials()
        self.fields["owner"].label_from_instance = _official_label
        self.fields["project"].queryset = projects


DECISION_ROWS = 5


class FollowUpCloseForm(Form):
    # Shown inline in the decision's row, without labels: each input names itself.
    done_date = forms.DateField(
        label=_("完成日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "aria-label": _("完成日期")}),
    )
    result = forms.CharField(
        label=_("落实情况"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("落实情况"), "aria-label": _("落实情况")}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
