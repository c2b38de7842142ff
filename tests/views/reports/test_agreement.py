"""The dashboard, the printed 通报 and the 汇总表 show the numbers `progress --json` holds.

Everything here is recomputed from the JSON the `progress` command prints, with the rules
the summary documents (a return counts when accepted, late after the due date; a report's
completion is its percent, 100 for 已完成 without one), and compared with what each of the
three outputs shows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from progress_seed import LAST, seeded_fixture, seeded_path_fixture, seeded_template_fixture  # noqa: F401
from pytestqt.qtbot import QtBot

from app.cli.main import main as cli_main
from app.core.vocab import STATUS_LABELS
from app.services.db import Database
from app.services.plans.query import get_plan
from app.services.reports.document import build_bulletin
from app.services.reports.workbook import FIRST_ROW, TASK_SHEET, write_summary_workbook
from app.views.main_window import MainWindow
from app.views.reports.dashboard_page import DashboardPage
from app.views.reports.render import write_pdf


def progress_from_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert cli_main(["progress", "--db", str(path), "--period", LAST, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def expected_figures(data: dict, db: Database) -> dict:  # type: ignore[type-arg]
    plan = get_plan(db, data["plan"])
    units = data["units"]
    on_time = [u["name"] for u in units if u["returned"] and not u["late"]]
    late = [u["name"] for u in units if u["returned"] and u["late"]]
    missing = [u["name"] for u in units if not u["returned"]]
    expected = sum(1 for u in units for t in plan.tasks if t.role_of(u["name"]))
    statuses: Counter[str] = Counter(t["status"] for u in units for t in u["tasks"]
                                     if t["status"])
    values = [t["percent"] if t["percent"] is not None else 100.0 for u in units
              for t in u["tasks"] if t["percent"] is not None or t["status"] == "completed"]
    per_unit = {u["name"]: Counter(t["status"] for t in u["tasks"] if t["status"])
                for u in units}
    return {"units": len(units), "on_time": on_time, "late": late, "missing": missing,
            "expected": expected, "statuses": statuses, "per_unit": per_unit,
            "average": sum(values) / len(values)}


def test_dashboard_pdf_and_workbook_agree_with_progress_json(
        qtbot: QtBot, seeded: Database, seeded_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = progress_from_cli(seeded_path, capsys)
    want = expected_figures(data, seeded)
    assert (want["units"], len(want["on_time"]), len(want["late"]), len(want["missing"])) == \
        (31, 27, 1, 3)

    # the dashboard
    window = MainWindow(seeded)
    qtbot.addWidget(window)
    page = window.page(DashboardPage)
    assert isinstance(page, DashboardPage)
    window.show_page(page)  # with returns merged the window itself opens on the 台账
    with qtbot.waitSignal(page.updated, timeout=60_000):
        window.show()
    assert page.tile_returns.text() == \
        f"{len(want['on_time']) + len(want['late'])}/{want['units']}"
    assert page.tile_returns_detail.text() == \
        f"按时 {len(want['on_time'])} · 迟报 {len(want['late'])} · 未报 {len(want['missing'])}"
    assert page.tile_average.text() == f"{want['average']:.1f}%"
    assert page.data is not None
    s = page.data.summary
    assert [u.name for u in s.units if u.state == "missing"] == want["missing"]
    assert [u.name for u in s.units if u.state == "late"] == want["late"]
    for u in s.units:
        assert {k: n for k, n in u.tasks.counts.items() if n and k != "unreported"} == \
            dict(want["per_unit"][u.name])
    assert s.totals.tasks.expected == want["expected"]
    assert {k: s.totals.tasks.count(k) for k in want["statuses"]} == dict(want["statuses"])
    bars = {h.gid for view in page.charts.values() if view.image for h in view.image.hits}
    for name in want["missing"]:
        assert f"return|{name}|missing" in bars

    # the printed 通报
    if shutil.which("pdftotext"):
        pdf = tmp_path / "通报.pdf"
        write_pdf(build_bulletin(seeded, LAST, 1), pdf)
        text = "".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                      text=True, check=True).stdout.split())
        text = text.translate(str.maketrans("，；：（）", ",;:()"))
        assert (f"本期应报送单位{want['units']}个,按时报送{len(want['on_time'])}个,"
                f"迟报{len(want['late'])}个,未报{len(want['missing'])}个") in text
        counts = want["statuses"]
        assert (f"已完成{counts['completed']}条、推进中{counts['in_progress']}条、"
                f"长期坚持{counts['ongoing']}条、未启动{counts['not_started']}条、"
                f"滞后{counts['behind']}条") in text
        assert f"平均完成进度{want['average']:.1f}%" in text
        assert "未报单位:" + "、".join(want["missing"]) in text

    # the 汇总表
    book = write_summary_workbook(seeded, LAST, tmp_path / "汇总表.xlsx", 1)
    ws = openpyxl.load_workbook(book)[TASK_SHEET]
    headers = [c.value for c in ws[FIRST_ROW]]
    rows = [dict(zip(headers, r, strict=True))
            for r in ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True)]
    assert len(rows) == want["expected"]
    label_to_code = {v: k for k, v in STATUS_LABELS.items()}
    sheet_counts = Counter(label_to_code[r["进展状态"]] for r in rows if r["进展状态"])
    assert sheet_counts == want["statuses"]
    by_key = {(r["单位"], r["任务编号"]): r for r in rows}
    for u in data["units"]:
        for t in u["tasks"]:
            r = by_key[(u["name"], t["code"])]
            assert r["完成进度(%)"] == t["percent"]
            assert (r["存在问题"] or "") == t["problems"]
    for name in want["missing"]:
        assert {r["报送情况"] for r in rows if r["单位"] == name} == {"未报"}
