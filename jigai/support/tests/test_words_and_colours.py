"""The enterprise-service pages written as the office writes them (issue 14 point 12): colours by meaning
(an overdue item or decision red, one due within a few working days amber, a done one green), dates with
their year in words rather than ISO, areas with thousands separators, people by name, the approvals the
3.5 rule names and the platform's default departments in the reader's language."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from conftest import ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.errors import ValidationError
from jigai.core.tests.english import visible_text
from jigai.core.tests.test_i18n import switch
from jigai.policy import measures
from jigai.support import conf, services
from jigai.support.models import ApprovalItem, FollowUp, State
from jigai.support.templatetags.support_tags import note_text

from .factories import AT, NEW_BUILD, RENEWAL, bj

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def test_a_deadline_is_late_past_it_due_soon_within_three_working_days_and_done_green():
    friday = dt.date(2019, 3, 1)
    item = ApprovalItem(state=State.IN_PROGRESS, due_date=dt.date(2019, 2, 28))
    assert item.deadline_tone(friday) == "late"
    item.due_date = dt.date(2019, 3, 6)  # Wednesday: the third working day after Friday
    assert item.deadline_tone(friday) == "risk"
    item.due_date = dt.date(2019, 3, 7)
    assert item.deadline_tone(friday) == ""
    item.state, item.due_date = State.DONE, dt.date(2019, 2, 1)
    assert item.deadline_tone(friday) == "done"
    assert ApprovalItem(state=State.NOT_STARTED).deadline_tone(friday) == ""
    f = FollowUp(due_date=friday)
    assert f.deadline_tone(friday) == "risk"
    assert f.deadline_tone(dt.date(2019, 3, 4)) == "late"
    f.done_date = dt.date(2019, 3, 8)
    assert f.deadline_tone(dt.date(2019, 3, 11)) == "done"
    # Beyond the official calendar, a few calendar days stand in for the working days.
    assert conf.due_soon_until(dt.date(2099, 1, 1)) == dt.date(2099, 1, 6)


def test_the_project_page_colours_items_by_meaning(client, users):
    p = ProjectFactory(region=users["clerk"].region)
    today = timezone.localdate()
    rows = {}
    for kind, state, due, done in (
        ("eia", State.IN_PROGRESS, today - dt.timedelta(days=1), None),
        ("safety", State.IN_PROGRESS, today, None),
        ("land", State.IN_PROGRESS, today + dt.timedelta(days=60), None),
        ("planning", State.DONE, today - dt.timedelta(days=5), today - dt.timedelta(days=6)),
    ):
        item = services.approval_add(user=users["office"], project=p, kind=kind, at=AT)
        ApprovalItem.objects.filter(pk=item.pk).update(
            state=state, started_date=today - dt.timedelta(days=30), due_date=due, done_date=done
        )
        rows[kind] = item
    client.force_login(users["office"])
    page = client.get(f"/support/projects/{p.pk}/").content.decode()

    def row(kind):
        start = page.index(f'data-kind="{kind}"')
        return page[start : page.index("</tr>", start)]

    assert '<span class="tag late">已逾期</span>' in row("eia") and "tag risk" not in row("eia")
    assert '<span class="tag risk">即将到期</span>' in row("safety") and "已逾期" not in row("safety")
    assert "tag" not in row("land")
    assert '<span class="tag done">已办结</span>' in row("planning") and "已逾期" not in row("planning")
    # dates read with their year, in the reader's language
    assert f"{today.year}年{today.month}月{today.day}日" in row("safety")
    switch(client, "en", f"/support/projects/{p.pk}/")
    page = client.get(f"/support/projects/{p.pk}/").content.decode()
    assert '<span class="tag risk">Due soon</span>' in row("safety") and "Overdue" in row("eia")
    assert "Prefecture Environmental Protection Bureau" in row("eia")
    assert today.isoformat() not in page.split("<form")[0]
    # the overview's overdue list says by how much
    page = client.get("/support/").content.decode()
    assert '<span class="tag late">1 day overdue</span>' in page
    switch(client, "zh-hans", "/support/")
    assert '<span class="tag late">逾期 1 天</span>' in client.get("/support/").content.decode()


def test_a_filing_page_shows_its_area_with_separators_and_the_rule_s_approvals_in_english(client, users):
    p = ProjectFactory(enterprise=users["_own_enterprise"])
    f = services.filing_submit(
        user=users["enterprise"], project=p, facts={**NEW_BUILD, "new_land_area_m2": "12000"},
        content="新建厂房", filing_date=dt.date(2019, 3, 4), at=bj(2019, 3, 4),
    )  # fmt: skip
    client.force_login(users["enterprise"])
    page = client.get(f"/support/filings/{f.pk}/").content.decode()
    assert "12,000.00 平方米" in page and "2019年3月4日" in page and "2019-03-04" not in page
    assert "环评（环境影响评价）" in page and "新建项目不属于设备更新改造“零新增地”项目" in page
    switch(client, "en", f"/support/filings/{f.pk}/")
    page = client.get(f"/support/filings/{f.pk}/").content.decode()
    assert "12,000.00 m²" in page and "March 4, 2019" in page
    assert "Environmental impact assessment (EIA)" in page and "Project filing (or approval)" in page
    # the list joins them as a sentence would, no stray space before a comma
    listing = visible_text(client.get("/support/filings/").content.decode())
    assert "Project filing (or approval), Environmental impact assessment (EIA), Land-use approval" in listing
    # the reasons, frozen in Chinese, read rebuilt from their codes and the filing's facts
    assert "A project of type “New build” is neither an equipment renewal on no new land" in page
    assert "Ordinary procedure: Project filing (or approval), Environmental impact assessment (EIA)" in page


def test_every_approval_the_rule_names_has_its_words_in_the_catalogue():
    """The pages translate a filing's approvals by their Chinese text: a new wording in the rule must be
    added to conf.APPROVAL_NAMES (and the catalogue), or it would stay Chinese in English."""
    named = {v for k, v in vars(measures).items() if k.startswith("APPROVAL_") and isinstance(v, str)}
    assert named == set(conf.APPROVAL_NAMES)
    with translation.override("en"):
        for name in named:
            assert translation.gettext(name) != name, name
        for department in set(conf.DEPARTMENTS.values()):
            assert translation.gettext(department) != department, department


def test_the_platform_s_notes_translate_and_typed_notes_stay_as_written():
    with translation.override("en"):
        assert (
            note_text("第3.5条：环评（环境影响评价）") == "Clause 3.5: Environmental impact assessment (EIA)"
        )
        assert note_text("企业自行委托") == "企业自行委托"
        assert note_text("第3.5条：自拟事项") == "第3.5条：自拟事项"
        assert note_text("") == ""
    assert note_text("第3.5条：环评（环境影响评价）") == "第3.5条：环评（环境影响评价）"


def test_a_decision_owner_who_may_not_own_it_is_named_not_given_by_login(users):
    outsider = make_user("leader_zhang", Role.LEADER, display_name="张三")
    with pytest.raises(ValidationError) as e:
        services.meeting_record(
            user=users["office"], kind="consultation", title="会商", date=dt.date(2019, 3, 1), chair="主任",
            participants="各部门", decisions=[{"decision": "协调", "owner": outsider, "time_limit_days": 5}],
            at=AT,
        )  # fmt: skip
    text = " ".join(e.value.errors["decisions"])
    assert "张三" in text and "leader_zhang" not in text
    with translation.override("en"):
        with pytest.raises(ValidationError) as e:
            services.secretary_assign(
                user=users["office"], project=ProjectFactory(), secretary=None, phone="", at=AT
            )
    assert e.value.errors["phone"] == [
        "Enter the secretary's telephone number: the enterprise uses it to reach them"
    ]


def test_the_propose_message_names_the_items_added(client, users):
    p = ProjectFactory(region=users["clerk"].region)
    client.force_login(users["office"])
    switch(client, "en", f"/support/projects/{p.pk}/")
    r = client.post(
        f"/support/projects/{p.pk}/propose/", {**NEW_BUILD, "new_land_area_m2": "5000"}, follow=True
    )
    page = r.content.decode()
    assert (
        "Clause 3.5: 3 approval items added: Project filing, Environmental impact assessment, Land-use approval."
        in page
    )
    r = client.post(f"/support/projects/{p.pk}/propose/", RENEWAL | {"new_land_area_m2": "0"}, follow=True)
    assert "every approval the project needs is already listed" in r.content.decode()


def test_the_land_determination_heads_its_memo_with_the_outcome_in_colour(client, users):
    p = ProjectFactory(region=users["clerk"].region)
    data = {"land_kind": "existing", "industrial_land": True, "area_m2": "18000", "plot_ratio_before": "0.8",
            "plot_ratio_after": "1.5", "conforms_urban_plan": True, "within_original_site": True,
            "application_date": dt.date(2019, 4, 1)}  # fmt: skip
    services.land_save(user=users["office"], project=p, data=data, at=AT)
    client.force_login(users["office"])
    page = client.get(f"/support/projects/{p.pk}/").content.decode()
    assert '<span class="tag risk">待批准提高容积率</span>' in page and "18,000.00 平方米" in page
    land = p.land
    services.land_save(
        user=users["office"], project=p, at=AT, expected_version=land.version,
        data={**data, "approval": "approved", "approval_date": dt.date(2019, 5, 20)},
    )  # fmt: skip
    switch(client, "en", f"/support/projects/{p.pk}/")
    page = client.get(f"/support/projects/{p.pk}/").content.decode()
    assert '<span class="tag done">No additional land price (clause 3.3)</span>' in page
    assert '<span class="tag done">Approved</span> (May 20, 2019)' in page
