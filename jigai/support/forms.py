"""Forms of the enterprise-service pages; the services check everything again."""

from django import forms

from jigai.accounts.models import User

from .conf import LAND_PRIORITY, Kind
from .models import Acquisition, Approval, LandKind, Meeting, ProjectType, State
from .services import SECRETARY_ROLES

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def officials():
    return (
        User.objects.filter(role__in=SECRETARY_ROLES, is_active=True)
        .select_related("region")
        .order_by("role", "region__code", "username", "id")
    )


def _official_label(u) -> str:
    where = u.region.name if u.region_id else "州项目办"
    return f"{u.display_name or u.username}（{where}）"


class SecretaryForm(forms.Form):
    secretary = forms.ModelChoiceField(label="项目秘书", queryset=User.objects.none())
    phone = forms.CharField(label="联系电话", max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = officials()
        self.fields["secretary"].label_from_instance = _official_label


class FactsForm(forms.Form):
    """The facts the 3.5 rule decides on (jigai/policy/inputs.py FilingCase)."""

    project_type = forms.ChoiceField(label="项目类型", choices=ProjectType.choices)
    new_land_area_m2 = forms.DecimalField(
        label="新增用地（平方米，不新增填 0）", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    advanced_mature_process = forms.BooleanField(label="采取先进成熟工艺", required=False)
    changes_pollutant_discharge = forms.BooleanField(label="改变污染物排放（需环评）", required=False)
    involves_major_hazard = forms.BooleanField(label="涉及危险化学品或重大危险源（需安评）", required=False)
    new_buildings = forms.BooleanField(label="新建建筑物（需规划许可）", required=False)
    energy_review_required = forms.BooleanField(
        label="年综合能耗1000吨标准煤或年用电500万千瓦时以上（需节能审查）", required=False
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
    project = forms.ModelChoiceField(label="备案项目", queryset=None)
    filing_date = forms.DateField(label="备案日期", widget=DATE)
    content = forms.CharField(label="建设内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["project", "filing_date", *FactsForm.FACTS, "content"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.enterprise.name}）"


class ItemAddForm(forms.Form):
    kind = forms.ChoiceField(label="审批事项", choices=Kind.choices)
    note = forms.CharField(label="备注", max_length=500, required=False)


class ItemForm(forms.Form):
    state = forms.ChoiceField(label="办理状态", choices=State.choices)
    department = forms.CharField(label="责任部门", max_length=60)
    time_limit_days = forms.IntegerField(label="时限（工作日）", min_value=1, max_value=365)
    started_date = forms.DateField(label="受理日期", required=False, widget=DATE)
    done_date = forms.DateField(label="办结日期", required=False, widget=DATE)
    note = forms.CharField(label="备注", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LandForm(forms.Form):
    land_kind = forms.ChoiceField(label="用地类型", choices=LandKind.choices)
    industrial_land = forms.BooleanField(label="工业用地", required=False, initial=True)
    area_m2 = forms.DecimalField(label="用地面积（平方米）", min_value=0, max_digits=12, decimal_places=2)
    plot_ratio_before = forms.DecimalField(label="改造前容积率", min_value=0, max_digits=6, decimal_places=2)
    plot_ratio_after = forms.DecimalField(label="改造后容积率", min_value=0, max_digits=6, decimal_places=2)
    change_of_use = forms.BooleanField(label="改变土地用途", required=False)
    conforms_urban_plan = forms.BooleanField(label="符合城市规划", required=False, initial=True)
    within_original_site = forms.BooleanField(label="在原用地范围内", required=False, initial=True)
    multi_storey = forms.BooleanField(label="建设多层房", required=False)
    extra_floors = forms.BooleanField(label="厂房改造加层", required=False)
    underground = forms.BooleanField(label="开发利用地下空间", required=False)
    acquisition = forms.ChoiceField(
        label="新增用地取得方式", choices=Acquisition.choices, initial=Acquisition.NONE
    )
    approval = forms.ChoiceField(label="提高容积率的批准", choices=Approval.choices, initial=Approval.PENDING)
    approval_date = forms.DateField(label="批准（决定）日期", required=False, widget=DATE)
    application_date = forms.DateField(label="申请日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LandPriorityForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="优先办理（第3.3条）",
        choices=[(k.value, k.label) for k in LAND_PRIORITY],
        widget=forms.CheckboxSelectMultiple,
    )
    started_date = forms.DateField(label="受理日期", widget=DATE)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Meeting.Kind.choices)
    title = forms.CharField(label="会议名称", max_length=120)
    date = forms.DateField(label="会议日期", widget=DATE)
    chair = forms.CharField(label="主持人", max_length=60)
    participants = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}))
    projects = forms.ModelMultipleChoiceField(
        label="研究的项目", queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    problems = forms.CharField(
        label="研究的问题（月调度报送的问题已列入）", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: f"{p.name}（{p.region.name}）"


class DecisionForm(forms.Form):
    decision = forms.CharField(label="议定事项", max_length=500, required=False)
    owner = forms.ModelChoiceField(label="责任人", queryset=User.objects.none(), required=False)
    time_limit_days = forms.IntegerField(label="时限（工作日）", min_value=1, max_value=365, required=False)
    project = forms.ModelChoiceField(label="涉及项目", queryset=None, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officials()
        self.fields["owner"].label_from_instance = _official_label
        self.fields["project"].queryset = projects


DECISION_ROWS = 5


class FollowUpCloseForm(forms.Form):
    done_date = forms.DateField(label="完成日期", widget=DATE)
    result = forms.CharField(label="落实情况", max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)
