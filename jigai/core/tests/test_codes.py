import pytest

from jigai.core.codes import CodeError, validate_credit_code, validate_project_code


@pytest.mark.parametrize("code", ["91110000101623741K", "911101066976941872", " 91110000101623741k "])
def test_valid_credit_codes_are_accepted_and_normalised(code):
    assert validate_credit_code(code) == code.strip().upper()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000010162374", "应为18位，现为16位"),
        ("91110000101623741KX", "应为18位，现为19位"),
        ("91110000I01623741K", "第9位“I”不是合法字符（不使用 I、O、S、V、Z）"),
        ("9111000010162374#K", "第17位“#”不是合法字符"),
        ("911100001016237410", "第18位应为“K”，现为“0”"),
    ],
)
def test_invalid_credit_codes_say_exactly_what_is_wrong(code, message):
    with pytest.raises(CodeError) as exc:
        validate_credit_code(code)
    assert message in str(exc.value)


def test_a_check_character_that_should_be_x_is_named():
    # Find a code whose check character is X and break it.
    from jigai.core.codes import credit_check_char

    for n in range(10000):
        body = f"91422801{n:09d}"
        if credit_check_char(body) == "X":
            break
    with pytest.raises(CodeError, match="第18位应为“X”"):
        validate_credit_code(body + "0")


def test_full_width_credit_code_typed_with_a_chinese_input_method_is_accepted():
    assert validate_credit_code("９１１１００００１０１６２３７４１Ｋ") == "91110000101623741K"


@pytest.mark.parametrize("code", ["2021-422801-39-03-012345", "", "ENSHI2018-001", "2018-422801-39"])
def test_project_codes_in_the_current_layout_or_legacy_form_are_kept(code):
    assert validate_project_code(code) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [("2021-422801-39-03-01234", "格式应为"), ("2021 422801", "不能包含空格"), ("项目-001", "只能包含")],
)
def test_malformed_project_codes_are_refused_with_a_reason(code, message):
    with pytest.raises(CodeError, match=message):
        validate_project_code(code)
