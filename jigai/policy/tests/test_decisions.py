"""Decisions as the platform shows them: JSON-able dicts, the Chinese explanation, simulate."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from jigai.policy import (
    REASON_CODES,
    Award,
    Project,
    evaluate_awards,
    evaluate_project,
    random_columns,
    simulate,
    simulate_records,
    simulate_text,
)
from jigai.policy.decision import BIT
from jigai.policy.divisions import division_name
from jigai.policy.params import default_parameters

P = Project(
    project_id="ES-2019-001",
    registered_in_prefecture=True,
    conforms_industrial_policy=True,
    plan_year=2019,
    industry_division="27",
    key_project=True,
    start_date=date(2019, 1, 1),
    completion_date=date(2020, 6, 30),
    in_production=True,
    equipment_investment_yuan=Decimal("2000000.00"),
    fixed_asset_investment_yuan=Decimal("30000000.00"),
    verified_fixed_asset_investment_yuan=Decimal("30000000.01"),
    region_code="422801",
)

RECORD = {
    "project_id": "A",
    "registered_in_prefecture": "是",
    "conforms_industrial_policy": "是",
    "plan_year": "2019",
    "industry_division": "27",
    "key_project": "是",
    "start_date": "2019-01-01",
    "completion_date": "2020-06-30",
    "in_production": "是",
    "equipment_investment_yuan": "5000000",
    "fixed_asset_investment_yuan": "30000000",
    "region_code": "GXQ",
}


def test_a_decision_is_json_with_the_documented_fields() -> None:
    equipment, large = evaluate_project(P)
    out = json.loads(json.dumps(large.to_dict(), ensure_ascii=False))
    assert out["project_id"] == "ES-2019-001"
    assert out["clause"] == "3.2"
    assert out["decision"] == "eligible"
    assert out["amount_yuan"] == "300000.00"
    assert out["capped"] is False and out["estimate"] is False
    assert out["prefecture_share_yuan"] == "150000.00" and out["county_share_yuan"] == "150000.00"
    assert {p["name"] for p in out["parameters"]} >= {"3.2.rate", "3.2.cap_yuan", "stacking"}
    assert all({"code", "clause", "message", "values"} <= set(r) for r in out["reasons"])
    assert equipment.to_dict()["reasons"][0]["code"] == "BELOW_THRESHOLD"


def test_an_explanation_reads_as_a_memo_with_clause_amount_reasons_and_parameters() -> None:
    _, large = evaluate_project(P)
    text = large.explain()
    assert text.splitlines()[0] == "第3.2条〔三（二）〕（重点技改项目支持）｜项目 ES-2019-001"
    assert "结论：符合，金额 300,000.00 元" in text
    assert "验收核定固定资产投资额30,000,000.01元的1%" in text
    assert "支持比例 1%（2018-01-01至2020-12-31）" in text


def test_an_ineligible_explanation_says_why() -> None:
    equipment, _ = evaluate_project(P)
    text = equipment.explain()
    assert "结论：不符合，金额 0.00 元。" in text
    assert "计划设备投资2,000,000.00元，低于3,000,000.00元的起点" in text


def test_a_cost_split_gives_the_odd_fen_to_the_prefecture_by_half_up_rounding() -> None:
    equipment, _ = evaluate_project(replace(P, equipment_investment_yuan=Decimal("3000000.33")))
    assert equipment.amount == Decimal("90000.01")
    assert (equipment.prefecture_share, equipment.county_share) == (Decimal("45000.01"), Decimal("45000.00"))


def test_reason_codes_are_stable_identifiers_with_distinct_bits() -> None:
    assert len(set(REASON_CODES)) == len(REASON_CODES)
    assert all(code.isupper() and code.replace("_", "").isalpha() for code in REASON_CODES)
    assert len(set(BIT.values())) == len(REASON_CODES)
    assert REASON_CODES[:3] == ("CONDITIONS_MET", "AMOUNT_COMPUTED", "ESTIMATE")  # append only


def test_award_decisions_carry_the_row_in_place_of_a_project() -> None:
    (d,) = evaluate_awards([Award("E1", "工艺", 2019, "生物医药", "provincial", 2)])
    out = d.to_dict()
    assert {k: out[k] for k in ("enterprise_id", "technology", "year", "level", "rank")} == {
        "enterprise_id": "E1",
        "technology": "工艺",
        "year": 2019,
        "level": "provincial",
        "rank": 2,
    }
    assert out["amount_yuan"] == "50000.00"
    assert "全省第2名" in d.explain()


def test_simulate_with_no_change_shows_no_difference() -> None:
    report = simulate(random_columns(2000, seed=3), [])
    assert report["baseline"] == report["reform"]
    assert report["changes"]["gain"] == report["changes"]["lose"] == report["changes"]["outcome_changed"] == 0


def test_simulate_a_higher_rate_raises_the_equipment_outlay_and_nobody_loses() -> None:
    report = simulate(random_columns(2000, seed=3), ["3.1.1.rate=0.04"])
    b, r = report["baseline"], report["reform"]
    assert Decimal(r["by_clause"]["3.1.1"]["total_yuan"]) > Decimal(b["by_clause"]["3.1.1"]["total_yuan"])
    assert r["by_clause"]["3.2"] == b["by_clause"]["3.2"]
    assert report["changes"]["lose"] == 0 and report["changes"]["gain"] > 0
    total = sum(Decimal(v["total"]) for v in r["by_unit"].values())
    assert total == Decimal(r["total_yuan"]) == sum(Decimal(v["total"]) for v in r["by_year"].values())
    assert Decimal(r["prefecture_yuan"]) + Decimal(r["county_yuan"]) == Decimal(r["total_yuan"])
    assert Decimal(report["difference"]["total_yuan"]) == Decimal(r["total_yuan"]) - Decimal(b["total_yuan"])


def test_simulate_a_lower_threshold_makes_projects_eligible() -> None:
    report = simulate(random_columns(2000, seed=3), ["3.1.1.threshold_yuan=2000000"])
    assert report["changes"]["by_clause"]["3.1.1"]["became_eligible"] > 0
    assert report["changes"]["by_clause"]["3.1.1"]["no_longer_eligible"] == 0


def test_simulate_a_prefecture_share_moves_cost_between_levels_only() -> None:
    report = simulate(random_columns(2000, seed=3), ["cost_split.prefecture_share=0.6"])
    b, r = report["baseline"], report["reform"]
    assert r["total_yuan"] == b["total_yuan"]
    assert Decimal(r["prefecture_yuan"]) > Decimal(b["prefecture_yuan"])


def test_simulate_records_counts_the_totals_by_reporting_unit_and_reports_bad_settings() -> None:
    report, errors = simulate_records([RECORD], ["stacking=higher_only"])
    assert errors == []
    assert report["baseline"]["by_unit"]["GXQ"]["total"] == "450000.00"
    assert report["reform"]["by_unit"]["GXQ"]["total"] == "300000.00"
    assert report["changes"] == {
        "gain": 0,
        "lose": 1,
        "unchanged": 0,
        "outcome_changed": 1,
        "by_clause": report["changes"]["by_clause"],
    }
    assert "州级承担" in simulate_text(report)
    report, errors = simulate_records([RECORD], ["nonsense=1"])
    assert report is None and errors[0]["column"] == "set"


def test_a_carry_forward_or_override_year_out_of_range_is_an_error_not_a_crash() -> None:
    # Found by the API fuzzer: carry_forward=[0] reached date(0, 1, 1) and raised ValueError.
    report, errors = simulate_records([RECORD], [], carry_forward=[0, 2021, 10**30])
    assert report is None
    assert [(e["column"], e["message"][:5]) for e in errors] == [("carry_forward", "延续年度：")] * 2
    report, errors = simulate_records([RECORD], ["stacking@0000=higher_only"])
    assert report is None and errors[0]["column"] == "set" and "1900–2999" in errors[0]["message"]
    report, errors = simulate_records([RECORD], [], carry_forward=[2021])
    assert errors == [] and report["carry_forward"] == [2021]


def test_a_decision_and_a_reason_are_built_with_keywords_only():
    import pytest

    from jigai.policy.decision import Decision, Reason

    with pytest.raises(TypeError):
        Reason("CAPPED", "3.1.1", "…", {})  # type: ignore[misc]
    with pytest.raises(TypeError):
        Decision("3.5", {}, "eligible", Decimal(0), False, False, (), ())  # type: ignore[misc]
    d = Decision(clause="3.5", subject={"case_id": "X"}, outcome="eligible", reasons=(), parameters=())
    assert (d.amount, d.capped, d.estimate, d.year) == (Decimal("0.00"), False, False, None)


def test_simulate_counts_large_investment_support_in_the_year_the_project_started() -> None:
    # docs/programme.md, reading 13 (issue 13, point 10): started in 2018, in production in 2021.
    project = Project(
        project_id="P-2021",
        registered_in_prefecture=True,
        conforms_industrial_policy=True,
        plan_year=None,
        industry_division="27",
        key_project=True,
        start_date=date(2018, 3, 1),
        completion_date=date(2021, 1, 15),
        in_production=True,
        equipment_investment_yuan=Decimal("0.00"),
        fixed_asset_investment_yuan=Decimal("30000000.00"),
    )
    report = simulate([project], [])
    assert report["year_basis"] == {"3.1.1": "plan_year", "3.2": "start_year"}
    assert report["baseline"]["by_year"] == {
        "2018": {"3.1.1": "0.00", "3.2": "300000.00", "total": "300000.00"}
    }
    assert "分年度（第3.1.1条按计划年度、第3.2条按开工年度计）：" in simulate_text(report)
    assert "  2018年：现行 300,000.00 元" in simulate_text(report)


def test_a_csv_boolean_written_as_one_point_zero_is_read_like_the_same_number_from_xlsx() -> None:
    from jigai.policy.inputs import parse_bool

    assert parse_bool("1.0") is parse_bool(1.0) is True
    assert parse_bool(" 0.00 ") is parse_bool(Decimal("0.0")) is False
    for bad in ("1.5", "2.0", "10"):
        try:
            parse_bool(bad)
        except ValueError as exc:
            assert "无法识别的是/否值" in str(exc)
        else:
            raise AssertionError(bad)


def test_every_memo_names_the_texts_own_numbering_and_quotes_the_original_sentence() -> None:
    # issue 13, point 4
    equipment, large = evaluate_project(replace(P, equipment_investment_yuan=Decimal("5000000.00")))
    e, g = equipment.explain().splitlines(), large.explain().splitlines()
    assert e[0].startswith("第3.1.1条〔三（一）“一是”〕（技改设备投资补助）")
    assert e[1].startswith("原文：对符合国家产业政策和列入年度工业技术改造计划") and e[1].endswith(
        "单个项目原则上不超过200万元。"
    )
    assert g[1].startswith(
        "原文：对在州内注册、企业固定资产一次性投资达到2000万元以上的加工制造业重点技术改造项目"
    )
    d = equipment.to_dict()
    assert d["clause_numbering"] == "三（一）“一是”" and d["original_text"] == e[1][len("原文：") :]
    assert {r["clause_numbering"] for r in d["reasons"]} == {"三（一）“一是”"}


def test_a_memo_says_the_cost_split_is_a_default_the_text_does_not_set() -> None:
    equipment, large = evaluate_project(replace(P, equipment_investment_yuan=Decimal("5000000.00")))
    assert "（州、县市分担比例原文未规定，按默认各半；原文三（一）“从2018年起”" in equipment.explain()
    assert (
        "（州、县市分担比例原文未规定，按默认各半；原文三（二）：州、县市财政通过贷款贴息" in large.explain()
    )
    params = default_parameters().with_overrides(["cost_split.prefecture_share=0.6"])
    other, _ = evaluate_project(replace(P, equipment_investment_yuan=Decimal("5000000.00")), params)
    assert "按平台设定州级60%" in other.explain()


def test_the_large_investment_memo_shows_the_payment_mode_and_the_industrys_name() -> None:
    _, large = evaluate_project(P)
    text = large.explain()
    assert "支持方式：贷款贴息或项目奖补" in text
    assert f"行业大类{P.industry_division} {division_name(P.industry_division)}" in text
    assert large.reasons[0].values["industry_name"] == division_name(P.industry_division)
    _, other = evaluate_project(replace(P, industry_division="44"))
    assert "行业大类44不属于加工制造业" in other.explain()
    _, pharma = evaluate_project(replace(P, industry_division="12"))
    assert "支持方式" not in pharma.explain()


def test_a_decision_without_a_rule_in_force_still_quotes_its_clause() -> None:
    _, large = evaluate_project(replace(P, start_date=date(2017, 1, 1)))
    assert large.reason_codes[0] == "NO_RULE_IN_FORCE" or "NO_RULE_IN_FORCE" in large.reason_codes
    assert "原文：对在州内注册" in large.explain()


def test_simulate_itself_refuses_a_setting_the_projects_cannot_feel_and_an_unknown_unit() -> None:
    # issue 13, point 8, for callers of the library without simulate_records.
    import pytest

    from jigai.policy.params import OverrideError

    project = Project(
        project_id="P-1",
        registered_in_prefecture=True,
        conforms_industrial_policy=True,
        plan_year=2019,
        industry_division="27",
        key_project=False,
        start_date=date(2019, 1, 1),
        completion_date=date(2019, 12, 31),
        in_production=True,
        equipment_investment_yuan=Decimal("5000000.00"),
        fixed_asset_investment_yuan=Decimal("5000000.00"),
        region_code="利川",
    )
    with pytest.raises(OverrideError, match=r"3\.1\.2\.provincial_awards_yuan"):
        simulate([project], ["3.1.2.provincial_awards_yuan=1,1,1"])
    with pytest.raises(ValueError, match="填报单位「利川」"):
        simulate([project], [])
    report = simulate([replace(project, region_code="利川市")], [])
    assert list(report["baseline"]["by_unit"]) == ["422802"]
