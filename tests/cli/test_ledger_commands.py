"""`ledger`, `edit`, `approve`, `close-out` as a batch user runs them: real processes on a
tianning database with three months of returns from the eight towns/streets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_sqlite
from merge_helpers import TOWNS, table_dump

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2021-06"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=180)


@pytest.fixture
def dbfile(tmp_path: Path, ledger_template: Path) -> Path:
    path = tmp_path / "ledger.db"
    copy_sqlite(ledger_template, path)
    return path


def ledger(db: Path) -> dict:  # type: ignore[type-arg]
    out = run("ledger", "--db", str(db), "--period", PERIOD, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def cell(data: dict, code: str, unit: str) -> dict:  # type: ignore[type-arg]
    task = next(t for t in data["tasks"] if t["code"] == code)
    return next(c for c in task["cells"] if c["unit"] == unit)  # type: ignore[no-any-return]


def test_ledger_json_edit_approve_close_out(dbfile: Path) -> None:
    data = ledger(dbfile)
    assert set(data) == {"plan", "period", "units", "tasks"} and data["period"] == PERIOD
    assert set(TOWNS) <= set(data["units"])
    first = data["tasks"][0]
    assert set(first) == {"code", "cells"}
    for c in first["cells"]:
        assert set(c) == {"unit", "role", "status", "percent", "changed", "approved", "closed"}
        assert c["unit"] in data["units"]
    # units that did not report have a cell with status null
    assert any(c["status"] is None for t in data["tasks"] for c in t["cells"])
    code = first["code"]
    assert cell(data, code, "郑陆镇")["changed"] == "down"

    edited = run("edit", "--db", str(dbfile), "--period", PERIOD, "--unit", "青龙街道",
                 "--task", code, "--set", "percent=45", "--set", "status=behind",
                 "--set", "problems=资金未到位", "--reason", "电话核实")
    assert edited.returncode == 0, edited.stderr
    assert "完成进度(%)" in edited.stdout and "45" in edited.stdout
    after = cell(ledger(dbfile), code, "青龙街道")
    assert (after["status"], after["percent"]) == ("behind", 45.0)
    progress = json.loads(run("progress", "--db", str(dbfile), "--period", PERIOD,
                              "--json").stdout)
    ql = next(u for u in progress["units"] if u["name"] == "青龙街道")
    assert next(t for t in ql["tasks"] if t["code"] == code)["problems"] == "资金未到位"
    assert ql["approved"] is False

    ok = run("approve", "--db", str(dbfile), "--period", PERIOD, "--unit", "青龙街道")
    assert ok.returncode == 0, ok.stderr
    assert cell(ledger(dbfile), code, "青龙街道")["approved"] is True
    again = run("approve", "--db", str(dbfile), "--period", PERIOD, "--unit", "青龙街道")
    assert again.returncode == 2 and "审核通过" in again.stderr
    undo = run("approve", "--db", str(dbfile), "--period", PERIOD, "--unit", "青龙街道",
               "--undo")
    assert undo.returncode == 0, undo.stderr
    assert cell(ledger(dbfile), code, "青龙街道")["approved"] is False

    # the sixth item every town reports is 已完成: close it for two of them
    done = next(t["code"] for t in data["tasks"]
                if all(c["status"] == "completed" for c in t["cells"] if c["unit"] in TOWNS))
    for unit in ("青龙街道", "兰陵街道"):
        closed = run("close-out", "--db", str(dbfile), "--task", done, "--unit", unit,
                     "--date", "2021-07-08", "--note", "验收材料")
        assert closed.returncode == 0, closed.stderr
        assert closed.stdout.strip() == f"{done} {unit}:已销号 2021-07-08"
    assert cell(ledger(dbfile), done, "兰陵街道")["closed"] is True
    reopened = run("close-out", "--db", str(dbfile), "--task", done, "--unit", "兰陵街道",
                   "--undo")
    assert reopened.returncode == 0, reopened.stderr
    assert cell(ledger(dbfile), done, "兰陵街道")["closed"] is False
    assert cell(ledger(dbfile), done, "青龙街道")["closed"] is True


@pytest.mark.parametrize(("args", "message"), [
    (("edit", "--unit", "火星街道", "--task", "1.1", "--set", "percent=1", "--reason", "x"),
     "没有名为"),
    (("edit", "--unit", "青龙街道", "--task", "99.9", "--set", "percent=1", "--reason", "x"),
     "没有编号"),
    (("edit", "--unit", "青龙街道", "--task", "1.1", "--set", "colour=red", "--reason", "x"),
     "不是可更正的填报项"),
    (("edit", "--unit", "青龙街道", "--task", "1.1", "--set", "percent=120", "--reason", "x"),
     "0–100"),
    (("edit", "--unit", "青龙街道", "--task", "1.1", "--set", "status=差不多", "--reason", "x"),
     "进展状态"),
    (("edit", "--unit", "青龙街道", "--task", "1.1", "--set", "percent", "--reason", "x"),
     "字段=值"),
    (("approve", "--unit", "区审计局"), "还没有已导入的报送"),
    (("approve", "--unit", "青龙街道", "--undo"), "尚未审核"),
    (("close-out", "--task", "1.1", "--date", "2021-07-08", "--note", "x"), "还没有报“已完成”"),
    (("close-out", "--task", "1.1", "--date", "七月八日", "--note", "x"), "日期格式"),
    (("close-out", "--task", "1.1"), "--date"),
    (("close-out", "--task", "1.1", "--undo"), "尚未销号"),
])
def test_errors_are_one_chinese_line_exit_2_and_change_nothing(
        dbfile: Path, args: tuple[str, ...], message: str) -> None:
    before = table_dump(dbfile)
    full = [args[0], "--db", str(dbfile)]
    if args[0] != "close-out":
        full += ["--period", PERIOD]
    result = run(*full, *args[1:])
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert table_dump(dbfile) == before
