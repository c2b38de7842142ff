"""收件登记: states derived from issue, merge and deadline; 催报 list; export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from merge_helpers import TOWNS, fill_by_hand, issue, row_keys

from app.services.db import Database
from app.services.district.merge import apply_packets
from app.services.district.receipts import export_ledger, receipt_ledger

PERIOD = "2021-06"  # due 2021-07-05


def test_ledger_states_days_late_and_chase_list(tianning: Database, tmp_path: Path) -> None:
    packets = issue(tianning, PERIOD, TOWNS, tmp_path)
    on_time = dt.datetime(2021, 7, 5, 16, 0)
    late = dt.datetime(2021, 7, 8, 9, 0)
    files = {}
    for unit in TOWNS:
        src = packets[unit]
        key = row_keys(src)[0]
        files[unit] = fill_by_hand(src, tmp_path / "ret" / f"{unit}.xlsx",
                                   {key: {"status": "in_progress", "percent": 50.0}})
    apply_packets(tianning, [files[u] for u in TOWNS[:5]], period=PERIOD, received_at=on_time)
    apply_packets(tianning, [files["天宁街道"]], period=PERIOD, received_at=late)
    broken = tmp_path / "broken.xlsx"
    bad = fill_by_hand(packets["红梅街道"], broken, {row_keys(packets["红梅街道"])[0]: {
        "percent": 150}})
    [r] = apply_packets(tianning, [bad], period=PERIOD, received_at=on_time)
    assert r.status == "rejected"
    # 兰陵街道 sends nothing

    before_due = receipt_ledger(tianning, 1, PERIOD, today=dt.date(2021, 7, 5))
    rows = {r.unit: r for r in before_due.rows}
    assert rows["开发区"].state == "received" and rows["开发区"].days_late == 0
    assert rows["天宁街道"].state == "late" and rows["天宁街道"].days_late == 3
    assert rows["红梅街道"].state == "rejected" and "0–100" in rows["红梅街道"].message
    assert rows["兰陵街道"].state == "issued"
    assert rows["区住建局"].state == "not_issued"  # expected to report, not issued this time
    assert before_due.status_text() == "已收 6/8 · 迟报 1 · 未报 2"

    after = receipt_ledger(tianning, 1, PERIOD, today=dt.date(2021, 7, 12))
    rows = {r.unit: r for r in after.rows}
    assert rows["兰陵街道"].state == "not_returned" and rows["兰陵街道"].days_late == 7
    assert [r.unit for r in after.chase()] == ["红梅街道", "兰陵街道"]
    assert after.rows[0].unit == "红梅街道"  # problems first

    # a good resend after the refusal: accepted, late against the deadline
    good = fill_by_hand(packets["红梅街道"], tmp_path / "ok.xlsx",
                        {row_keys(packets["红梅街道"])[0]: {"percent": 15.0}})
    [r] = apply_packets(tianning, [good], period=PERIOD, received_at=late)
    assert r.status == "applied"
    rows = {r.unit: r for r in receipt_ledger(tianning, 1, PERIOD).rows}
    assert rows["红梅街道"].state == "late" and rows["红梅街道"].days_late == 3

    out = export_ledger(after, tmp_path / "收件登记.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["收件登记", "催报"]
    chase = [[c.value for c in row] for row in wb["催报"].iter_rows(min_row=4)]
    assert [r[0] for r in chase] == ["红梅街道", "兰陵街道"]
    assert chase[1][2] == "未报" and chase[1][3] == 7
    reg = wb["收件登记"]
    assert "已收 6/8" in reg["A1"].value
    assert reg.max_row == 3 + len(after.rows)


def test_nothing_issued_yet(tianning: Database) -> None:
    ledger = receipt_ledger(tianning, 1, "2021-07")
    assert ledger.issued == [] and ledger.chase() == []
    assert ledger.status_text() == "2021年7月尚未下发"
