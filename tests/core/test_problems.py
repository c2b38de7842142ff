"""One Problem type, one text format for locations."""

from __future__ import annotations

import pytest

from app.core.errors import UserFacingError
from app.core.problems import Problem, location


def test_one_location_format() -> None:
    assert location("任务进展", "G5") == "[任务进展]G5"
    assert location("任务进展", "") == "[任务进展]"
    assert location("", "G5") == "G5"
    assert location("", "") == ""
    assert location("任务进展", "G5", "青龙街道.xlsx") == "青龙街道.xlsx [任务进展]G5"
    assert location(None, None, None) == ""


def test_problem_text_and_json() -> None:
    p = Problem("任务进展", "H4", "完成进度须为 0–100 的数字。", key="T:abc", field="percent")
    assert p.where == "[任务进展]H4" and p.blocking
    assert p.text == "[任务进展]H4 完成进度须为 0–100 的数字。"
    assert p.as_json() == {"sheet": "任务进展", "cell": "H4",
                           "message": "完成进度须为 0–100 的数字。"}
    reminder = Problem(message="请填写本期进展。", field="progress", severity="warning")
    assert not reminder.blocking and reminder.text == "请填写本期进展。"


def test_unknown_severity_is_a_bug() -> None:
    with pytest.raises(ValueError):
        Problem("表", "A1", "x", "fatal")


def test_user_facing_errors_use_the_same_location() -> None:
    err = UserFacingError("缺少填写列。", sheet="任务进展", cell="A2")
    assert str(err) == "[任务进展]A2 缺少填写列。" == Problem("任务进展", "A2", "缺少填写列。").text
    assert str(UserFacingError("文件已损坏。")) == "文件已损坏。"
