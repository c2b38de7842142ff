"""The input rules and value conversions shared by the reader, the office form and the merge."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.services.packets.format import fixed_cell_text
from app.services.packets.values import (
    entry_values,
    indicator_values,
    normalise_value,
    plain_column,
    plain_texts,
)


def test_a_numeric_indicator_takes_numbers_only() -> None:
    assert normalise_value("value", "95.0", numeric=True) == ("95", None)
    assert normalise_value("value", 95.5, numeric=True) == ("95.5", None)
    assert normalise_value("value", "96.5%", numeric=True) == ("96.5", None)
    assert normalise_value("value", "", numeric=True) == ("", None)
    value, problem = normalise_value("value", "制定实施", numeric=True)
    assert value == "" and problem == "此指标须填写数字(填的是“制定实施”)。"
    # a text indicator keeps what was written
    assert normalise_value("value", "制定实施") == ("制定实施", None)
    assert normalise_value("value", 95.0) == ("95", None)


def test_fixed_cell_text() -> None:
    assert fixed_cell_text(None) == ""
    assert fixed_cell_text(["区发改局", "区工信局"]) == "区发改局、区工信局"
    assert fixed_cell_text(3) == "3"


def test_entry_and_indicator_values() -> None:
    entry = SimpleNamespace(status="completed", percent=100, progress=None, problems="",
                            next_steps="下月验收", responsible="张三", phone="0519-1",
                            completed_on=dt.date(2021, 6, 30))
    assert entry_values(entry) == {
        "status": "completed", "percent": 100.0, "progress": "", "problems": "",
        "next_steps": "下月验收", "responsible": "张三", "phone": "0519-1",
        "completed_on": "2021-06-30"}
    assert entry_values(None)["status"] is None
    assert indicator_values(SimpleNamespace(value="21", note=None)) == {"value": "21", "note": ""}
    assert indicator_values(None) == {"value": "", "note": ""}


TEXT_FIELDS = ("progress", "problems", "next_steps", "responsible", "phone", "value", "note")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), field=st.sampled_from(TEXT_FIELDS), numeric=st.booleans())
def test_the_plain_text_shortcut_gives_what_the_full_rules_give(text: str, field: str,
                                                                numeric: bool) -> None:
    """A text with nothing invisible takes a shortcut through the rules; a zero-width
    character (dropped by the rules) sends the same text the long way: same result. (Not
    for a text that is only whitespace, "\x1f" included: it is empty before any rule.)"""
    assume(text.strip())
    for where in (0, len(text) // 2, len(text)):
        slow = text[:where] + "\u200b" + text[where:]
        assert normalise_value(field, text, numeric=numeric) == normalise_value(
            field, slow, numeric=numeric)


def test_text_rules_still_apply() -> None:
    assert normalise_value("progress", " 第一行\n第二行 \n") == ("第一行\n第二行", None)
    assert normalise_value("responsible", "\u3000王晓红\u3000") == ("王晓红", None)
    assert normalise_value("responsible", "王\n晓红")[1] == "责任人不能换行。"
    assert normalise_value("progress", "完成\u202e前月")[1].startswith("本期进展含有改变文字方向")
    assert normalise_value("note", "a\x07b")[1].endswith("控制字符,请删除后重新填写。")
    assert normalise_value("responsible", "王" * 51)[1] == "责任人最多 50 字(现 51 字)。"
    assert normalise_value("phone", "0519-8666")[1] is None
    assert normalise_value("phone", "电话")[1].startswith("联系电话格式不对")
    assert normalise_value("status", "") == (None, None)
    assert normalise_value("progress", "  ") == ("", None)


_CELLS = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", " ", "\u3000", " 推进中 ", "王晓红", "a" * 51, "b" * 2001, "第一行\n第二行", "\u200b",
     "\u202e", "0519-86661234", "\t", 100, 0, 100.0, -0.0, 55.5]), st.none(),
    st.floats(), st.floats(min_value=0, max_value=100), st.integers(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(raws=st.lists(_CELLS, min_size=1, max_size=8),
       field=st.sampled_from((*TEXT_FIELDS, "status", "percent", "completed_on")))
def test_a_plain_text_column_gives_what_each_cell_gives(raws: list[object], field: str
                                                       ) -> None:
    """The reader's column at once (`plain_column`) gives for every cell what
    `normalise_value` gives it, or None (then each cell goes through the rule)."""
    got = plain_column(field, raws)
    if got is not None:
        assert [(v, None) for v in got] == [normalise_value(field, raw) for raw in raws]
        assert list(map(type, got)) == [type(v) for v, _p in map(normalise_value,
                                                                   [field] * len(raws), raws)]


def test_a_usual_text_column_is_taken_at_once() -> None:
    assert plain_texts("progress", ["完成 3 家。", "", " \u3000", " 推进中 "]) == [
        "完成 3 家。", "", "", "推进中"]
    assert plain_texts("responsible", [" 王晓红", "\u3000李明\u3000"]) == ["王晓红", "李明"]
    assert plain_texts("progress", ["第一行\n第二行"]) is None  # the rules act on it
    assert plain_texts("responsible", ["王" * 51]) is None  # refused: named cell by cell
    assert plain_texts("phone", ["0519-86661234"]) is None
    assert plain_texts("status", ["推进中"]) is None
    assert plain_texts("progress", ["完成", 3.0]) is None
    assert plain_column("percent", [3.0, "", 100, 0.5]) == [3.0, None, 100.0, 0.5]
    for odd in ([101.0], [-0.5], [float("nan")], [float("inf")], ["60%"], [True], [" "],
                [""]):
        assert plain_column("percent", [50.0, *odd]) is None or odd == [""], odd
    assert plain_column("percent", [""]) is None  # an empty column has its own way
