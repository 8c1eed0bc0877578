"""Parameter files are checked when loaded; every problem names the file and the key."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jigai.policy import OverrideError, ParameterError, default_parameters, load_parameters, parse_override
from jigai.policy.params import DEFAULT_DIR, SCHEMA


@pytest.fixture
def pdir(tmp_path: Path) -> Path:
    target = tmp_path / "parameters"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _problems(pdir: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ParameterError) as info:
        load_parameters(pdir)
    return info.value.problems


RATE = """description: rate
unit: ratio
reference:
  clause: "3.1.1"
  text: 按照设备投资额的3%给予技改资金补助
values:
{values}
"""


def test_the_shipped_parameters_load_and_cover_2018_to_2020() -> None:
    params = load_parameters()
    assert set(params.names) == set(SCHEMA)
    for name in SCHEMA:
        periods = params[name].periods
        assert periods[0].start == date(2018, 1, 1) and periods[-1].end == date(2020, 12, 31), name
        assert params[name].clause and params[name].text


def test_the_shipped_values_are_the_text_of_the_programme() -> None:
    p = default_parameters()
    assert p.clause("3.1.1", 2019).values == {
        "3.1.1.rate": Decimal("0.03"),
        "3.1.1.threshold_yuan": Decimal("3000000.00"),
        "3.1.1.cap_yuan": Decimal("2000000.00"),
        "3.1.1.max_period_months": 36,
        "cost_split.prefecture_share": Decimal("0.5"),
    }
    assert p.value_on("3.2.rate", date(2020, 12, 31)) == Decimal("0.01")
    assert p.value_on("3.2.manufacturing_divisions", date(2019, 1, 1)) == (13, 43)
    assert p.value_on("stacking", date(2019, 1, 1)) == "both"
    assert p.value_on("3.1.2.national_awards_yuan", date(2019, 1, 1))[1] == Decimal("200000.00")


def test_a_rate_written_with_a_decimal_point_is_read_exactly_not_as_a_float(pdir: Path) -> None:
    _write(pdir / "3.1.1" / "rate.yaml", RATE.format(values="  2018-01-01: {value: 0.1, end: 2020-12-31}"))
    assert load_parameters(pdir).value_on("3.1.1.rate", date(2019, 1, 1)) == Decimal("0.1")


def test_an_unknown_key_is_an_error_naming_the_file_and_key(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 0.03}") + "colour: blue\n")
    assert (str(path), "colour", "unknown key") in _problems(pdir)


def test_a_missing_key_is_an_error_naming_the_file_and_key(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 0.03}").replace("description: rate\n", ""))
    assert (str(path), "description", "missing key") in _problems(pdir)


def test_a_missing_reference_text_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(
        path,
        RATE.format(values="  2018-01-01: {value: 0.03}").replace(
            "  text: 按照设备投资额的3%给予技改资金补助\n", ""
        ),
    )
    problems = _problems(pdir)
    assert any(f == str(path) and k == "reference.text" and "原文" in m for f, k, m in problems), problems


def test_a_missing_reference_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    text = RATE.format(values="  2018-01-01: {value: 0.03}")
    _write(
        path, text.replace('reference:\n  clause: "3.1.1"\n  text: 按照设备投资额的3%给予技改资金补助\n', "")
    )
    assert (str(path), "reference", "missing key") in _problems(pdir)


def test_overlapping_periods_are_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(
        path,
        RATE.format(values="  2018-01-01: {value: 0.03, end: 2021-06-30}\n  2021-01-01: {value: 0.04}"),
    )
    problems = _problems(pdir)
    assert any(f == str(path) and k == "values.2018-01-01" and "overlaps" in m for f, k, m in problems)


def test_two_values_for_one_date_are_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 0.03}\n  2018-01-01: {value: 0.04}"))
    problems = _problems(pdir)
    assert any(f == str(path) and k == "2018-01-01" and "duplicate" in m for f, k, m in problems)


def test_a_period_ending_before_it_starts_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 0.03, end: 2017-12-31}"))
    assert any(k == "values.2018-01-01.end" for _, k, _ in _problems(pdir))


def test_a_value_of_the_wrong_unit_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "rate.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 3}"))
    assert any(f == str(path) and k == "values.2018-01-01.value" for f, k, _ in _problems(pdir))


def test_an_amount_with_a_fraction_of_a_fen_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "cap_yuan.yaml"
    text = path.read_text(encoding="utf-8").replace("value: 2000000", "value: 2000000.001")
    _write(path, text)
    assert any(f == str(path) and "fen" in m for f, _, m in _problems(pdir))


def test_an_unknown_parameter_file_is_an_error(pdir: Path) -> None:
    path = pdir / "3.1.1" / "bonus.yaml"
    _write(path, RATE.format(values="  2018-01-01: {value: 0.03}"))
    assert (str(path), "(file)", "unknown parameter '3.1.1.bonus'") in _problems(pdir)


def test_a_missing_parameter_file_is_an_error(pdir: Path) -> None:
    (pdir / "3.2" / "cap_yuan.yaml").unlink()
    assert any(k == "3.2.cap_yuan" and m == "missing parameter file" for _, k, m in _problems(pdir))


def test_every_problem_is_reported_at_once(pdir: Path) -> None:
    _write(pdir / "3.1.1" / "rate.yaml", RATE.format(values="  2018-01-01: {value: 2}"))
    (pdir / "3.2" / "cap_yuan.yaml").unlink()
    assert len(_problems(pdir)) == 2


def test_an_expired_entry_ends_a_value_and_a_later_one_restarts_it(pdir: Path) -> None:
    _write(
        pdir / "3.1.1" / "rate.yaml",
        RATE.format(
            values="  2018-01-01: {value: 0.03}\n  2021-01-01: {expired: true}\n  2023-01-01: {value: 0.05}"
        ),
    )
    params = load_parameters(pdir)
    assert params.value_on("3.1.1.rate", date(2020, 12, 31)) == Decimal("0.03")
    assert params.value_on("3.1.1.rate", date(2022, 6, 1)) is None
    assert params.value_on("3.1.1.rate", date(2030, 1, 1)) == Decimal("0.05")


def test_a_new_year_of_values_can_be_added_without_code(pdir: Path) -> None:
    for name in SCHEMA:
        path = next(
            p for p in pdir.rglob("*.yaml") if ".".join((*p.relative_to(pdir).parts[:-1], p.stem)) == name
        )
        _write(path, path.read_text(encoding="utf-8").replace("end: 2020-12-31", "end: 2021-12-31"))
    params = load_parameters(pdir)
    assert params.clause("3.1.1", 2021).in_force
    assert not params.clause("3.1.1", 2022).in_force


def test_a_clause_is_in_force_only_when_all_its_parameters_are() -> None:
    params = default_parameters().with_overrides(["3.1.1.rate@2021=0.04"])
    cp = params.clause("3.1.1", 2021)
    assert not cp.in_force
    assert "3.1.1.threshold_yuan" in cp.missing and "3.1.1.rate" not in cp.missing


def test_an_override_for_one_year_splits_the_period() -> None:
    params = default_parameters().with_overrides(["3.1.1.rate@2019=4%"])
    assert [(p.start.year, p.end.year, p.value) for p in params["3.1.1.rate"].periods] == [
        (2018, 2018, Decimal("0.03")),
        (2019, 2019, Decimal("0.04")),
        (2020, 2020, Decimal("0.03")),
    ]


def test_carrying_forward_extends_every_parameter_by_a_year() -> None:
    params = default_parameters().carried_forward(2021)
    assert params.clause("3.2", 2021).in_force
    assert params.value_on("3.1.1.cap_yuan", date(2021, 12, 31)) == Decimal("2000000.00")
    assert params.value_on("3.1.1.cap_yuan", date(2022, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3.1.1.rat=0.04", "未知参数"),
        ("3.1.1.rate=1.5", "取值无效"),
        ("stacking=sometimes", "取值无效"),
        ("3.1.1.cap_yuan=-1", "取值无效"),
        ("3.1.1.threshold_yuan=1.001", "取值无效"),
    ],
)
def test_a_bad_override_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(OverrideError, match=message):
        default_parameters().with_overrides([text])


def test_an_override_without_a_value_is_refused() -> None:
    with pytest.raises(OverrideError):
        parse_override("3.1.1.rate")


def test_overrides_accept_the_documented_value_forms() -> None:
    params = default_parameters().with_overrides(
        [
            "3.1.1.rate=0.04",
            "3.1.1.threshold_yuan=2000000",
            "3.1.1.cap_yuan=2500000",
            "3.1.1.max_period_months=48",
            "3.2.manufacturing_divisions=13-44",
            "3.1.2.national_awards_yuan=300000,150000,80000",
            "3.1.2.industries=硒食品加工、生物医药",
            "stacking=higher_only",
            "cost_split.prefecture_share=60%",
            "3.5.zero_approval_filing=false",
        ]
    )
    v = params.clause("3.1.1", 2019).values
    assert (v["3.1.1.rate"], v["3.1.1.threshold_yuan"], v["3.1.1.cap_yuan"]) == (
        Decimal("0.04"),
        Decimal("2000000.00"),
        Decimal("2500000.00"),
    )
    assert v["cost_split.prefecture_share"] == Decimal("0.6")
    assert params.value_on("3.1.2.national_awards_yuan", date(2019, 1, 1))[3] == Decimal("80000.00")
    assert params.value_on("3.2.manufacturing_divisions", date(2019, 1, 1)) == (13, 44)


def test_describe_lists_every_parameter_with_its_periods_and_reference() -> None:
    described = default_parameters().describe()
    assert {d["name"] for d in described} == set(SCHEMA)
    rate = next(d for d in described if d["name"] == "3.1.1.rate")
    assert rate["periods"] == [{"start": "2018-01-01", "end": "2020-12-31", "value": "0.03", "display": "3%"}]
    assert "3%" in rate["text"]


def test_a_new_programme_is_new_dated_values_of_its_figures(pdir: Path) -> None:
    path = pdir / "2.1.b" / "projects_per_year.yaml"
    _write(path, path.read_text(encoding="utf-8") + "  2021-01-01:\n    value: 120\n    end: 2025-12-31\n")
    params = load_parameters(pdir)
    assert params.latest_on("2.1.b.projects_per_year", date(2019, 1, 1)).raw == 100
    used = params.latest_on("2.1.b.projects_per_year", date(2023, 1, 1))
    assert (used.raw, used.start, used.end, used.clause) == (
        120,
        date(2021, 1, 1),
        date(2025, 12, 31),
        "2.1.b",
    )
    assert params.latest_on("2.1.b.projects_per_year", date(2030, 1, 1)).raw == 120  # the last one runs on


def test_the_programme_figures_are_checked_when_loaded(pdir: Path) -> None:
    _write(pdir / "4.2" / "report_deadline_day.yaml", (pdir / "4.2" / "report_deadline_day.yaml").read_text(
        encoding="utf-8").replace("value: 5", "value: 31"))  # fmt: skip
    _write(pdir / "2.1.b" / "unit_quotas.yaml", (pdir / "2.1.b" / "unit_quotas.yaml").read_text(
        encoding="utf-8").replace("GXQ: 15", "GXQ: -1"))  # fmt: skip
    problems = {(Path(f).name, k) for f, k, _m in _problems(pdir)}
    assert problems == {("report_deadline_day.yaml", "values.2018-01-01.value"),
                        ("unit_quotas.yaml", "values.2018-01-01.value")}  # fmt: skip
