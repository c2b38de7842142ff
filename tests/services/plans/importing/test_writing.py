"""Applying an import: all or nothing, with an audit row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plan_helpers import counts, workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditLog
from app.services.db import Database
from app.services.plans.importing.writing import import_plan_workbook


def test_import_is_one_transaction(tmp_path: Path, db: Database,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the units were written leaves no unit, alias or plan behind."""
    import app.services.plans.importing.writing as module

    def broken(session: Any, spec: dict[str, Any]) -> int:
        session.flush()
        raise RuntimeError("disk full")

    path = workbook(tmp_path, [["序号", "任务内容", "牵头单位"], ["1", "甲。", "区发改局、区发改委"]])
    monkeypatch.setattr(module, "insert_plan", broken)
    with pytest.raises(RuntimeError):
        import_plan_workbook(db, path)
    assert counts(db) == (0, 0, 0)


def test_import_writes_an_audit_row(tmp_path: Path, db: Database) -> None:
    path = workbook(tmp_path, [["序号", "任务内容", "牵头单位"], ["1", "甲。", "区发改局"]])
    result = import_plan_workbook(db, path)
    with Session(db) as s:
        row = s.scalars(select(AuditLog)).one()
    assert (row.entity, row.entity_id, row.field, row.new) == ("plan", result.plan_id,
                                                               "imported", "plan.xlsx")
    assert row.file_hash and len(row.file_hash) == 64
