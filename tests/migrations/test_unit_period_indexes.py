"""0007: a unit's rows of one period are found through a (unit_id, period_id) index."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from migration_helpers import downgrade

from app.services.db import open_database

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
TABLES = ("progress_entry", "indicator_value", "packet")


def _indexes(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA index_list({table})")}


def _counts(con: sqlite3.Connection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (*TABLES, "audit_log", "receipt")}


def test_upgrade_replaces_the_unit_index_and_downgrade_restores_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(SCHEMAS / "0006.db", path)
    con = sqlite3.connect(path)
    before = _counts(con)
    con.close()
    open_database(path, create=False).dispose()  # upgrades to head
    con = sqlite3.connect(path)
    for table in TABLES:
        names = _indexes(con, table)
        assert f"ix_{table}_unit_id_period_id" in names and f"ix_{table}_unit_id" not in names
    plan = " ".join(str(r) for r in con.execute(
        "EXPLAIN QUERY PLAN SELECT id, status FROM progress_entry "
        "WHERE unit_id = 1 AND period_id = 2"))
    assert "ix_progress_entry_unit_id_period_id" in plan
    assert _counts(con) == before
    con.close()

    downgrade(path, "0006")
    con = sqlite3.connect(path)
    for table in TABLES:
        names = _indexes(con, table)
        assert f"ix_{table}_unit_id" in names and f"ix_{table}_unit_id_period_id" not in names
    assert _counts(con) == before
    con.close()
