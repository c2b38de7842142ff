"""`report` on the command line: the same documents as the window, without one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from progress_seed import (  # noqa: F401
    LAST,
    MISSING,
    seeded_fixture,
    seeded_path_fixture,
    seeded_template_fixture,
)

from app.cli.main import main
from app.services.db import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_report_writes_pdf_workbook_and_reminder_headless(seeded_path: Path,
                                                          tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "--db", str(seeded_path),
         "--period", LAST, "--pdf", str(tmp_path / "通报.pdf"), "--xlsx",
         str(tmp_path / "汇总表.xlsx"), "--reminder", str(tmp_path / "催报.pdf"),
         "--date", "2023-02-08"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "已生成" in out.stdout
    text = "".join(subprocess.run(["pdftotext", "-raw", str(tmp_path / "通报.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    assert "常州市天宁区生态文明建设示范区创建实施方案(2020-2023年)" in text
    assert "2023年2月8日" in text
    reminder = "".join(subprocess.run(["pdftotext", "-raw", str(tmp_path / "催报.pdf"), "-"],
                                      capture_output=True, text=True, check=True).stdout.split())
    assert all(name in reminder for name in MISSING[LAST])
    assert openpyxl.load_workbook(tmp_path / "汇总表.xlsx").sheetnames[0] == "任务进展汇总"
    fonts = subprocess.run(["pdffonts", str(tmp_path / "通报.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "TaizhangSerifSC-Regular" in fonts
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", line  # every font embedded


def test_report_json_and_overview(seeded_path: Path, seeded: Database,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(seeded_path), "--period", LAST, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == LAST and data["previous"] == "2022-12"
    t = data["totals"]
    assert (t["units"], t["on_time"], t["late"], t["missing"]) == (31, 27, 1, 3)
    assert [u["name"] for u in data["units"] if u["state"] == "missing"] == MISSING[LAST]
    assert {b["code"] for b in data["behind"]} >= {"4.4", "4.5", "2.2.1.5"}
    assert main(["report", "--db", str(seeded_path), "--period", LAST]) == 0
    out = capsys.readouterr().out
    assert "应报 31 · 按时 27 · 迟报 1 · 未报 3" in out
    assert "未报:" + "、".join(MISSING[LAST]) in out


@pytest.mark.parametrize("args, message", [
    (["--period", "2023-1"], "周期格式"),
    (["--period", LAST, "--unit", "郑陆镇"], "--unit"),
    (["--period", LAST, "--pdf", "x.docx"], ".pdf"),
    (["--period", LAST, "--xlsx", "/no/such/dir/x.xlsx"], "目录不存在"),
    (["--period", LAST, "--date", "2023/02/08"], "日期格式"),
])
def test_usage_errors_exit_2(seeded_path: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    assert main(["report", "--db", str(seeded_path), *args]) == 2
    assert message in capsys.readouterr().err


def test_user_errors_exit_1_and_write_nothing(seeded_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(seeded_path), "--period", "2031-01"]) == 1
    assert "2031-01" in capsys.readouterr().err
    target = tmp_path / "u.pdf"
    assert main(["report", "--db", str(seeded_path), "--period", LAST, "--unit", "不存在的局",
                 "--pdf", str(target)]) == 1
    assert "不存在的局" in capsys.readouterr().err and not target.exists()
    assert main(["report", "--db", str(tmp_path / "none.db"), "--period", LAST]) == 2
