"""The migration that converts the merge's local-time stamps to UTC (the one clock)."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from app.services.db import MIGRATIONS, open_database

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
MERGED = "2021-07-03 09:30:00.000000"  # local wall-clock time, as the merge wrote it
MERGED_UTC = "2021-07-03 01:30:00.000000"  # the same instant in UTC+8
OTHER = "2021-07-04 02:00:00.000000"  # stamps other code wrote in UTC


def _migration() -> ModuleType:
    [path] = (MIGRATIONS / "versions").glob("*_merge_stamps_utc.py")
    spec = importlib.util.spec_from_file_location("merge_stamps_utc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _merged_0001(tmp_path: Path) -> Path:
    """Schema 0001 holding what a merge wrote (local time) beside rows written in UTC."""
    path = tmp_path / "district.db"
    shutil.copy(SCHEMAS / "0001.db", path)
    con = sqlite3.connect(path)
    con.executescript(f"""
        UPDATE packet SET created_at='{MERGED}' WHERE id='p1-returned-1';
        UPDATE audit_log SET at='{MERGED}';
        UPDATE progress_entry SET updated_at='{MERGED}';
        UPDATE indicator_value SET updated_at='{OTHER}';  -- edited after the merge
        UPDATE conflict SET status='replaced', resolved_at='{MERGED}';
        UPDATE flag SET packet_id='p1', status='closed', closed_at='{MERGED}';
        INSERT INTO packet (id, packet_uid, plan_id, unit_id, period_id, direction, kind,
                            revision, file_name, file_hash, created_at, outcome, message, rows)
            SELECT 'p1-issued', 'p1', plan_id, unit_id, period_id, 'issued', kind, 0,
                   'x.xlsx', file_hash, '{OTHER}', 'issued', '', '{{}}' FROM packet;
        INSERT INTO packet (id, packet_uid, plan_id, unit_id, period_id, direction, kind,
                            revision, file_name, file_hash, created_at, outcome, message, rows)
            SELECT 'p1-exported', 'p1', plan_id, unit_id, period_id, 'returned', kind, 1,
                   'y.xlsx', file_hash, '{MERGED}', 'exported', '', '{{}}'
            FROM packet WHERE id='p1-issued';
        INSERT INTO audit_log (at, actor, actor_unit, entity, entity_id, field, packet_id)
            VALUES ('{OTHER}', '区创建办', '', 'progress', 1, 'problems', 'p1-returned-1');
    """)
    con.commit()
    con.close()
    return path


def _stamps(path: Path) -> dict[str, list[object]]:
    con = sqlite3.connect(path)
    try:
        return {
            "packet": con.execute("SELECT id, created_at FROM packet ORDER BY id").fetchall(),
            "audit": con.execute("SELECT at FROM audit_log ORDER BY id").fetchall(),
            "entry": con.execute("SELECT updated_at FROM progress_entry").fetchall(),
            "value": con.execute("SELECT updated_at FROM indicator_value").fetchall(),
            "conflict": con.execute("SELECT resolved_at FROM conflict").fetchall(),
            "flag": con.execute("SELECT closed_at FROM flag").fetchall(),
            "receipt": con.execute("SELECT received_at FROM receipt").fetchall(),
        }
    finally:
        con.close()


def test_the_merge_stamps_become_utc_and_nothing_else_moves(tmp_path: Path,
                                                          beijing_time: None) -> None:
    path = _merged_0001(tmp_path)
    assert _stamps(path)["receipt"] == [(MERGED,)]
    open_database(path).dispose()  # upgrades to head
    assert _stamps(path) == {
        "packet": [("p1-exported", MERGED), ("p1-issued", OTHER), ("p1-returned-1", MERGED_UTC)],
        "audit": [(MERGED_UTC,), (OTHER,)],
        "entry": [(MERGED_UTC,)],
        "value": [(OTHER,)],
        "conflict": [(MERGED_UTC,)],
        "flag": [(MERGED_UTC,)],
        "receipt": [(MERGED_UTC,)],
    }


def test_downgrade_converts_the_same_rows_back(tmp_path: Path, beijing_time: None) -> None:
    path = _merged_0001(tmp_path)
    before = _stamps(path)
    migration = _migration()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.upgrade()
    upgraded = _stamps(path)
    assert upgraded["receipt"] == [(MERGED_UTC,)]
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.downgrade()
    engine.dispose()
    assert _stamps(path) == before
