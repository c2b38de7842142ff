"""0008: a merged return's values and first values packed; rows written before stay, and a
downgrade unpacks what an older version reads."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from merge_helpers import older_ledger_rows
from migration_helpers import downgrade

from app.services.db import open_database
from app.services.district.packed import pack

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def test_upgrade_keeps_old_rows_and_downgrade_unpacks_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(SCHEMAS / "0007.db", path)
    con = sqlite3.connect(path)
    before = con.execute("SELECT id, rows FROM packet ORDER BY id").fetchall()
    con.close()
    open_database(path, create=False).dispose()  # upgrades to head
    con = sqlite3.connect(path)
    assert con.execute("SELECT id, rows FROM packet ORDER BY id").fetchall() == before
    assert con.execute("SELECT count(*) FROM packet WHERE packed IS NOT NULL OR "
                       "first_targets IS NOT NULL").fetchone()[0] == 0
    # a return merged after the upgrade
    returned = [("T:a", {"status": "completed", "percent": 100.0, "progress": "完成",
                         "problems": "", "next_steps": "", "responsible": "王敏",
                         "phone": "", "completed_on": "2024-03-01"}),
                ("I:b", {"value": "12", "note": ""})]
    created = [("progress", 1, "T:a", "任务进展", 3,
                {f: f"{c}3" for f, c in zip(("status", "percent", "progress", "problems",
                                             "next_steps", "responsible", "phone",
                                             "completed_on"), "GHIJKLMN", strict=True)}),
               ("indicator_value", 2, "I:b", "指标填报", 3, {"value": "H3", "note": "I3"})]
    packed, targets = pack(returned, "甲", created)
    con.execute("INSERT INTO packet (id, packet_uid, plan_id, unit_id, period_id, direction,"
                " kind, revision, file_name, file_hash, created_at, outcome, message, rows,"
                " first_targets, packed) SELECT 'new-returned', packet_uid, plan_id, unit_id,"
                " period_id, 'returned', kind, 2, 'y.xlsx', ?, created_at, 'applied', '', '{}',"
                " ?, ? FROM packet LIMIT 1", ("1" * 64, targets, packed))
    con.commit()
    con.close()

    downgrade(path, "0007")
    con = sqlite3.connect(path)
    columns = {r[1] for r in con.execute("PRAGMA table_info(packet)")}
    assert "packed" not in columns and "first_targets" not in columns
    rows = dict(con.execute("SELECT id, rows FROM packet").fetchall())
    con.close()
    assert json.loads(rows.pop("new-returned")) == older_ledger_rows(packed, "by_key")
    assert sorted(rows.items()) == before
