"""0005: unit contacts and a return's mail headers come and go without losing a row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from migration_helpers import downgrade

from app.services.db import open_database

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("unit", "unit_alias", "assignment", "plan_unit", "packet",
                          "progress_entry", "receipt")}
    finally:
        con.close()


def test_upgrade_adds_empty_contacts_and_downgrade_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(SCHEMAS / "0004.db", path)
    before = _counts(path)
    open_database(path, create=False).dispose()  # upgrades to head
    con = sqlite3.connect(path)
    assert {r for r in con.execute("SELECT phone, email FROM unit")} == {("", "")}
    assert con.execute("SELECT count(*) FROM packet WHERE mail_from IS NOT NULL"
                       ).fetchone()[0] == 0
    con.close()
    assert _counts(path) == before

    downgrade(path, "0004", foreign_keys=True)
    con = sqlite3.connect(path)
    columns = {r[1] for r in con.execute("PRAGMA table_info(unit)")}
    con.close()
    assert "email" not in columns and "phone" not in columns
    assert _counts(path) == before  # no rebuild of `unit` cascaded into its children
