import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jigai.core.money import format_wan_exact as format_wan
from jigai.core.money import yuan_to_wan
from jigai.imports.parsers import (
    Boolean,
    Choice,
    Date,
    Integer,
    Money,
    Noted,
    Option,
    ParseError,
    Text,
    Year,
    normalize_header,
    to_halfwidth,
)
from jigai.imports.reference import REPORTING_UNITS, reporting_unit_choice

WAN = Money()
YUAN = Money(unit="元")
D = Decimal


# --- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        (1200, D("12000000.00")),
        ("1200", D("12000000.00")),
        ("350.5", D("3505000.00")),
        (350.5, D("3505000.00")),
        ("０.０００００１", D("0.01")),
        ("１２００．５", D("12005000.00")),
        ("1,234.5", D("12345000.00")),
        ("1，234.5", D("12345000.00")),
        (" 12 万元 ", D("120000.00")),
        ("300万", D("3000000.00")),
        ("5000元", D("5000.00")),
        ("￥8.5", D("85000.00")),
        ("12。5", D("125000.00")),
        (0.1, D("1000.00")),
        (0.30000000000000004, D("3000.00")),  # 0.1 + 0.2 in a float, as Excel shows it
        (D("0.000001"), D("0.01")),
        ("0", D("0.00")),
        ("-0", D("0.00")),
    ],
)
def test_money_in_wan_is_read_to_exact_yuan(raw, yuan):
    value = WAN(raw)
    assert value == yuan
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [("1,234,567.89", D("1234567.89")), (1234567.89, D("1234567.89")), ("12.5万元", D("125000.00"))],
)
def test_money_in_yuan_keeps_fen(raw, yuan):
    assert YUAN(raw) == yuan


@pytest.mark.parametrize(
    ("parser", "raw", "reason"),
    [
        (WAN, "12.1234567", "最多 6 位小数"),
        (YUAN, "12.345", "最多 2 位小数"),
        (WAN, "1,2,3", "千位分隔符"),
        (WAN, "12,34", "千位分隔符"),
        (WAN, "-5", "不能为负数"),
        (WAN, "(5)", "不能为负数"),
        (WAN, "1.2E+07", "科学计数法"),
        (WAN, "abc", "无法识别"),
        (WAN, "", "无法识别"),
        (WAN, True, "不是逻辑值"),
        (WAN, dt.date(2018, 1, 1), "不是日期"),
        (WAN, float("nan"), "不是有效数字"),
        (WAN, "99999999999", "金额过大"),
    ],
)
def test_money_refuses_with_a_reason(parser, raw, reason):
    with pytest.raises(ParseError) as err:
        parser(raw)
    assert reason in err.value.reason


def test_money_allows_negative_only_when_the_column_says_so():
    assert Money(allow_negative=True)("-1.5") == D("-15000.00")
    assert Money(allow_negative=True)("(1.5)") == D("-15000.00")


def test_money_to_cell_writes_wan_as_an_exact_number():
    assert WAN.to_cell(D("3505000.00")) == 350.5
    assert WAN.to_cell(D("12000000.00")) == 1200
    assert WAN.to_cell(D("0.01")) == 0.000001
    assert format_wan(D("3505000.00")) == "350.5"


# --- dates ------------------------------------------------------------------------------------------

DATE = Date()


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2018, 3, 15),
        dt.date(2018, 3, 15),
        "2018-03-15",
        "2018-3-15",
        "2018/3/15",
        "2018.3.15",
        "2018年3月15日",
        "2018 年 3 月 15 日",
        "２０１８年３月１５日",
        "20180315",
        20180315,
        43174,  # Excel serial number
        43174.75,
        "2018-03-15 00:00:00",
        "2018-03-15T08:30",
    ],
)
def test_date_forms_give_the_same_day(raw):
    assert DATE(raw) == dt.date(2018, 3, 15)


@pytest.mark.parametrize("raw", ["2018-03", "2018-3", "2018/03", "2018.3", "2018年3月", "2018年03", "201803"])
def test_month_only_dates_are_the_first_of_the_month_with_a_remark(raw):
    value = DATE(raw)
    assert isinstance(value, Noted)
    assert value.value == dt.date(2018, 3, 1)
    assert "月" in value.note


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2018-02-30", "日期不存在"),
        ("2018-13", "日期不存在"),
        ("1999-12-31", "超出范围"),
        ("2101-01-01", "超出范围"),
        ("2018", "只有年份"),
        (2018, "只有年份"),
        (2018.1, "1月也可能是10月"),
        ("明年三月", "无法识别的日期"),
        (True, "不是逻辑值"),
        (dt.time(8, 0), "不是时间"),
        (-5, "无法识别的日期"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(raw, reason):
    with pytest.raises(ParseError) as err:
        DATE(raw)
    assert reason in err.value.reason


def test_a_column_can_require_the_day():
    with pytest.raises(ParseError, match="填写到日"):
        Date(allow_month=False)("2018-03")


# --- booleans, text, integers, choices -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["是", "√", "✓", "Y", "ｙ", "yes", "TRUE", "true", "1", 1, 1.0, True, "有", " 是 "]
)
def test_true_forms(raw):
    assert Boolean()(raw) is True


@pytest.mark.parametrize("raw", ["否", "×", "N", "no", "FALSE", "0", 0, False, "无"])
def test_false_forms(raw):
    assert Boolean()(raw) is False


@pytest.mark.parametrize(
    ("text", "number", "value"), [("1.0", 1.0, True), ("0.0", 0.0, False), ("1.00", 1, True)]
)
def test_a_csv_numeral_is_the_boolean_the_same_xlsx_number_is(text, number, value):
    assert Boolean()(text) is Boolean()(number) is value


@pytest.mark.parametrize("raw", ["也许", 2, "x", dt.date(2018, 1, 1), "2.0", "1.5", "0.5", "1e0", "-1"])
def test_anything_else_is_not_a_boolean(raw):
    with pytest.raises(ParseError, match="是"):
        Boolean()(raw)


def test_text_is_tidied():
    assert Text()("  年产\u3000 5万吨\n硒茶 ") == "年产 5万吨 硒茶"
    assert Text()("a\u200bb\x07") == "ab"
    assert Text()(422801) == "422801"
    assert Text()(12.0) == "12"
    assert Text(halfwidth=True, upper=True)("９１ａｂ") == "91AB"


def test_text_over_its_length_is_refused_with_both_lengths():
    with pytest.raises(ParseError, match="超过 5 个字（实际 6 个字）"):
        Text(max_length=5)("一二三四五六")


def test_integers_and_years():
    assert Integer()("1,200") == 1200
    assert Integer()(12.0) == 12
    assert Year()("2018年") == 2018
    assert Year()("２０１８") == 2018
    with pytest.raises(ParseError, match="不能有小数"):
        Integer()("1.5")
    with pytest.raises(ParseError, match="年份不能大于 2100"):
        Year()(2200)
    with pytest.raises(ParseError, match="不能小于 0"):
        Integer()("-3")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("恩施市", "422801"),
        ("恩施", "422801"),
        ("422801", "422801"),
        (422801, "422801"),
        (422801.0, "422801"),
        ("利川市", "422802"),
        ("州高新区", "GXQ"),
        ("高新区", "GXQ"),
        ("gxq", "GXQ"),
        ("ＧＸＱ", "GXQ"),
        (" 鹤峰县 ", "422828"),
        ("422801 恩施市", "422801"),
        ("恩施市（422801）", "422801"),
    ],
)
def test_reporting_unit_by_name_or_code(raw, code):
    assert reporting_unit_choice()(raw) == code


def test_an_unknown_reporting_unit_lists_the_choices():
    with pytest.raises(ParseError) as err:
        reporting_unit_choice()("恩施州")
    assert "恩施州" in err.value.reason
    assert "恩施市" in err.value.reason


def test_two_options_cannot_share_a_name():
    with pytest.raises(ValueError, match="names two options"):
        Choice([Option("1", "甲"), Option("2", "甲")])


@pytest.mark.parametrize(
    "raw",
    [
        "设备投资（万元）",
        "设备投资(万元)",
        " 设备投资 (万元) ",
        "*设备投资【万元】",
        "设备投资\n（万元）",
        "设备投资(万元):",
    ],
)
def test_header_normaliser(raw):
    assert normalize_header(raw) == "设备投资(万元)"


# --- fuzzing ----------------------------------------------------------------------------------------

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="0123456789,.，．-+ 年月日万元¥()/：:Ee０１２３"),
    st.dates(),
    st.datetimes(),
    st.times(),
)
PARSERS = [
    WAN,
    YUAN,
    Money(allow_negative=True),
    Money(unit="亿元"),
    DATE,
    Boolean(),
    Text(),
    Text(max_length=10, halfwidth=True, upper=True, pattern=r"[0-9A-Z]+"),
    Integer(),
    Year(),
    reporting_unit_choice(),
]


@settings(max_examples=200, deadline=None)
@given(raw=anything, index=st.integers(min_value=0, max_value=len(PARSERS) - 1))
def test_parsers_raise_nothing_but_parse_error(raw, index):
    try:
        PARSERS[index](raw)
    except ParseError as exc:
        assert exc.reason


@settings(max_examples=200, deadline=None)
@given(raw=anything)
def test_header_normaliser_is_idempotent(raw):
    once = normalize_header(raw)
    assert normalize_header(once) == once


wan_amounts = st.decimals(
    min_value=0, max_value=D("9999999999"), places=6, allow_nan=False, allow_infinity=False
)


@settings(max_examples=200, deadline=None)
@given(amount=wan_amounts)
def test_amounts_round_trip_exactly_from_wan_text_to_yuan_and_back(amount):
    yuan = WAN(format(amount, "f"))
    assert yuan == amount * 10000
    assert yuan_to_wan(yuan) == amount
    assert WAN(format_wan(yuan)) == yuan


@settings(max_examples=200, deadline=None)
@given(amount=wan_amounts)
def test_amounts_round_trip_through_the_cell_written_for_them(amount):
    yuan = WAN(format(amount, "f"))
    assert WAN(WAN.to_cell(yuan)) == yuan


@settings(max_examples=200, deadline=None)
@given(amount=st.decimals(min_value=0, max_value=D("99999999"), places=6))
def test_a_float_cell_is_read_as_excel_shows_it(amount):
    assert WAN(float(amount)) == amount * 10000


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=D("9999999"), places=7).filter(
        lambda d: d != d.quantize(D("0.000001"))
    )
)
def test_more_precise_than_a_fen_is_always_refused(amount):
    with pytest.raises(ParseError, match="精确到分"):
        WAN(format(amount, "f"))


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), form=st.integers(0, 6))
def test_every_written_form_of_a_date_reads_back(day, form):
    y, m, d = day.year, day.month, day.day
    text = [
        day.isoformat(),
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}{m:02}{d:02}",
        dt.datetime(y, m, d, 13, 5),
        (day - dt.date(1899, 12, 30)).days,
    ][form]
    assert DATE(text) == day


@settings(max_examples=200, deadline=None)
@given(raw=st.text())
def test_text_is_idempotent(raw):
    try:
        once = Text(max_length=None)(raw)
    except ParseError:
        return
    assert Text(max_length=None)(once) == once
    assert once == once.strip()
    assert "  " not in once


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12))
def test_integers_with_separators_read_back(n):
    assert Integer()(f"{n:,}") == n
    assert Integer()(to_halfwidth(str(n)).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})) == n


@pytest.mark.parametrize("option", REPORTING_UNITS)
def test_each_reporting_unit_reads_back_from_label_and_code(option):
    choice = reporting_unit_choice()
    assert choice(option.label) == option.code
    assert choice(option.code) == option.code
    assert choice(choice.to_cell(option.code)) == option.code
