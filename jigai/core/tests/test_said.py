"""jigai.core.said: a message is text in the language it was said in, and can be said again in another."""

import json
import pickle

from django.utils import translation

from jigai.core.said import Said, quoted_list, said_again, said_from_json, said_json, said_list, say, say_in


def test_a_said_message_is_text_in_the_active_language():
    with translation.override("zh-hans"):
        zh = say("超过 %(max)s 个字（实际 %(n)s 个字）", max=100, n=120)
    with translation.override("en"):
        en = say("超过 %(max)s 个字（实际 %(n)s 个字）", max=100, n=120)
    assert isinstance(zh, str) and zh == "超过 100 个字（实际 120 个字）"
    assert en == "More than 100 characters (120)"
    assert f"[{zh}]" == "[超过 100 个字（实际 120 个字）]" and "100" in zh  # goes wherever text goes


def test_said_again_in_another_language_with_its_figures_and_nested_messages():
    with translation.override("zh-hans"):
        said = say(
            "%(where)s：%(reason)s",
            where=say("工作表“%(sheet)s”", sheet="恩施市"),
            reason=say("应填写日期，不是%(kind)s", kind=say_in("kind of cell", "逻辑值")),
        )
    assert said == "工作表“恩施市”：应填写日期，不是逻辑值"
    with translation.override("en"):
        assert said.again() == "sheet “恩施市”: A date is expected, not a TRUE/FALSE value"
        # A message said now with a figure said before reads wholly in the language active now.
        assert say("检查通过：%(would)s", would=said) == "Checks passed: " + said.again()
    assert said_again("plain text") == "plain text"


def test_it_is_kept_as_json_and_pickled_and_read_back_in_the_language_of_the_reader():
    with translation.override("zh-hans"):
        said = say("与%(others)s重复（%(key)s），同一记录只能出现一次", others=said_list(
            [say("第 %(row)s 行", row=3), say("第 %(row)s 行", row=9)]), key="恩施市 项目A")  # fmt: skip
    assert said == "与第 3 行、第 9 行重复（恩施市 项目A），同一记录只能出现一次"
    kept = json.loads(json.dumps(said_json(said)))
    with translation.override("en"):
        assert (
            str(said_from_json(kept))
            == "Same record as row 3, row 9 (恩施市 项目A); a record may appear only once"
        )
        assert pickle.loads(pickle.dumps(said)) == said.again()
    with translation.override("zh-hans"):
        assert said_from_json(kept) == said
    assert said_json("not said") is None


def test_lists_use_the_separator_of_the_language():
    with translation.override("zh-hans"):
        assert quoted_list(["2019", "2020"]) == "“2019”、“2020”"
        assert quoted_list([]) == ""
    with translation.override("en"):
        assert quoted_list(["2019", "2020"]) == "“2019”, “2020”"


def test_a_stored_entry_that_no_longer_fits_shows_as_text_never_an_error():
    assert said_from_json({"msgid": "第 %(row)s 行", "params": {}}) == "第 %(row)s 行"
    assert said_from_json("旧的记录") == "旧的记录"
    assert said_from_json(None) == ""
    assert said_from_json({"msgid": "未知的消息 %(x)s", "params": {"x": 1}}) == "未知的消息 1"
    assert isinstance(said_from_json({"msgid": "必填项未填写", "params": {}}), Said)
