"""The input rules and value conversions shared by the reader, the office form and the merge."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from app.services.packets.format import fixed_cell_text
from app.services.packets.values import (
    entry_values,
    indicator_values,
    normalise_value,
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
