"""The command line as a batch user runs it: real processes, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_init_with_example_then_plan_show_json(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    result = run("init", "--db", str(db), "--example", "tianning")
    assert result.returncode == 0, result.stderr
    shown = run("plan", "show", "--db", str(db), "--json")
    assert shown.returncode == 0, shown.stderr
    plans = json.loads(shown.stdout)["plans"]
    assert len(plans) == 1
    plan = plans[0]
    assert plan["title"] == "常州市天宁区生态文明建设示范区创建实施方案(2020-2023年)"
    assert {"id", "title", "units", "tasks", "indicators"} <= set(plan)
    names = {u["name"] for u in plan["units"]}
    towns = {"开发区", "郑陆镇", "雕庄街道", "青龙街道", "茶山街道", "红梅街道", "天宁街道", "兰陵街道"}
    assert towns <= names
    for task in plan["tasks"]:
        assert set(task) >= {"code", "section", "text", "deadline", "lead", "cooperating",
                             "implementing"}
        assert set(task["implementing"]) == towns
        assert task["lead"], task["code"]
    for ind in plan["indicators"]:
        assert set(ind) >= {"code", "name", "unit", "standard", "attribute", "target", "lead"}


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run("init", "--db", str(db)).returncode == 0
    again = run("init", "--db", str(db), "--example", "tianning")
    assert again.returncode == 2
    assert "已存在" in again.stderr


@pytest.mark.parametrize("args", [
    ("plan", "show", "--db", "MISSING", "--json"),
    ("--no-such-option",),
    ("plan", "show", "--json"),
    ("init", "--db", "X", "--example", "nosuch"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    args = tuple(str(tmp_path / "missing.db") if a == "MISSING" else
                 str(tmp_path / "x.db") if a == "X" else a for a in args)
    result = run(*args)
    assert result.returncode == 2 if "nosuch" not in args else result.returncode in (1, 2)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    if "nosuch" in args:
        assert not (tmp_path / "x.db").exists()


def test_argparse_messages_are_chinese(tmp_path: Path) -> None:
    result = run("plan", "show", "--json")
    assert result.returncode == 2
    assert result.stderr.strip() == "taizhang: 错误:缺少必需的参数:--db"
    result = run("plan", "show", "--db", str(tmp_path / "x.db"), "--plan", "x")
    assert result.returncode == 2
    assert "参数 --plan 的值 'x' 无效" in result.stderr
