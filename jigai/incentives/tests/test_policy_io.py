"""Reading and writing helpers of the policy command."""

from __future__ import annotations

from jigai.incentives.policy_io import (
    Table,
    header_aliases,
    normalise_header,
    read_csv,
    to_records,
    write_atomically,
)
from jigai.policy import PROJECT_FIELDS


def test_headers_match_across_full_width_brackets_spaces_and_case() -> None:
    aliases = header_aliases(PROJECT_FIELDS)
    assert aliases[normalise_header("设备投资 (元)")] == ("equipment_investment_yuan", 1)
    assert aliases[normalise_header("设备投资（万元）")] == ("equipment_investment_yuan", 10000)
    assert aliases[normalise_header("Project_ID")] == ("project_id", 1)


def test_a_gbk_file_is_decoded_when_it_is_not_utf8() -> None:
    table = read_csv("项目编号,州内注册\nA,是\n".encode("gbk"))
    assert table.headers == ["项目编号", "州内注册"]
    assert table.rows == [(2, {"项目编号": "A", "州内注册": "是"})]


def test_blank_lines_are_skipped_but_keep_the_row_numbers_of_the_sheet() -> None:
    table = read_csv(b"project_id\nA\n\n,\nB\n")
    assert [n for n, _ in table.rows] == [2, 5]


def test_a_column_given_twice_is_a_problem() -> None:
    _, problems = to_records(Table(["project_id", "项目编号"], []), "projects")
    assert any(p.column == "项目编号" and p.message.startswith("列重复") for p in problems)


def test_an_amount_in_wan_yuan_with_more_than_six_decimals_is_a_problem() -> None:
    table = Table(["设备投资（万元）"], [(2, {"设备投资（万元）": "1.0000001"})])
    _, problems = to_records(table, "projects")
    assert any(p.row == 2 and "精度" in p.message for p in problems)


def test_writing_is_all_or_nothing(tmp_path) -> None:
    target = tmp_path / "out.json"
    write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_the_policy_engines_division_names_are_the_platforms_reference_data() -> None:
    # jigai.policy is pure (no jigai.core import), so it carries section C's names itself for the 3.2
    # memo (issue 13, point 4); they must agree with the reference data the registry loads.
    from jigai.core.reference import INDUSTRIES
    from jigai.policy.divisions import MANUFACTURING_DIVISIONS

    assert MANUFACTURING_DIVISIONS == {code: name for code, name, section in INDUSTRIES if section == "C"}


def test_the_simulators_reporting_units_are_the_nine_of_the_reference_data() -> None:
    from jigai.core.reference import REPORTING_UNITS
    from jigai.policy.simulate import REPORTING_UNITS as SIMULATED_UNITS

    assert SIMULATED_UNITS == {code: name for code, name, short, division in REPORTING_UNITS}
